<#import "bind-options.ftl" as bind><@bind.options forwarders=upstream_forwarders/>
