# Managed by cutover: the local caching BIND on 127.0.0.1 answers for this host.
# The previous file is kept by cutover-helper; `cutover rollback` restores it.
nameserver 127.0.0.1
<#if facts.resolv_conf.search?has_content>
search ${facts.resolv_conf.search?join(" ")}
</#if>
<#if facts.resolv_conf.options?has_content>
options ${facts.resolv_conf.options?join(" ")}
</#if>
