<#-- Used only inside the guarded proof: forwarders that resolv.conf never listed. -->
<#import "bind-options.ftl" as bind><@bind.options forwarders=cutover_alt_forwarders/>
