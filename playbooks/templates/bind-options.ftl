<#-- The options block of a local caching resolver: answers only 127.0.0.1, forwards only. -->
<#macro options forwarders>
// Managed by cutover: local caching resolver for this host only.
// Generated for ${inventory_hostname}; changes here are overwritten by the next rollout.
options {
	directory "/var/cache/bind";

	listen-on port 53 { 127.0.0.1; };
	listen-on-v6 { none; };
	allow-query { 127.0.0.1; };
	allow-recursion { 127.0.0.1; };
	recursion yes;

	forward only;
	forwarders {
<#list forwarders as server>
		${server};
</#list>
	};

	dnssec-validation ${bind_dnssec_validation};
<#if bind_dnssec_validate_except?has_content>
	validate-except {
<#list bind_dnssec_validate_except as zone>
		"${zone}";
</#list>
	};
</#if>
};
</#macro>
