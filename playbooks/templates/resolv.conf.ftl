# Managed by cutover: the local caching BIND on 127.0.0.1 answers for this host.
# The previous file is kept by cutover-helper; `cutover rollback` restores it.
nameserver 127.0.0.1
<#if facts.resolv.search?has_content>
search ${facts.resolv.search?join(" ")}
</#if>
<#if facts.resolv.options?has_content>
options ${facts.resolv.options?join(" ")}
</#if>
