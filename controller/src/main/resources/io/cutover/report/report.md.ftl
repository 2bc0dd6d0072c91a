<#ftl output_format="Markdown" strip_whitespace=true>
<#-- The same facts as the HTML report, as Markdown tables (no chart). Every ${…} is escaped by MarkdownOutputFormat. -->
<#macro opt v=""><#if v?has_content>${v}<#else>—</#if></#macro>
<#macro verified v=""><#if !v?is_boolean>no result in the journal<#elseif v>verified<#else>**NOT verified**</#if></#macro>
# cutover run ${run.runId}: ${run.outcome}

| | |
|---|---|
| Playbook | <@opt run.playbook/> |
| Inventory | <#list run.inventory as i>${i}<#sep>, </#sep><#else>—</#list> |
| Started | ${run.started} |
| Ended | <#if run.ended??>${run.ended}<#else>not in the journal: the controller stopped before the run ended (cutover resume continues it)</#if> |
| Took | <@opt run.lasted/> |
| Ran by | <#if run.ranBy??>${run.ranBy}<#else>not journaled</#if> |
| Controller | <@opt run.controller/><#if run.cwd??> (in ${run.cwd})</#if> |
<#if run.notes?has_content>

<#list run.notes as n>
- ${n}
</#list>
</#if>

## Summary

| hosts | <#list run.summary.byStatus as c>${c.status} | </#list>proven (query to 127.0.0.1:53) | steps run | longest ban | rollbacks verified |
|---|<#list run.summary.byStatus as c>---|</#list>---|---|---|---|
| ${run.summary.hosts} | <#list run.summary.byStatus as c>${c.count} | </#list>${run.summary.proven}/${run.summary.hosts} | ${run.summary.steps} | <#if run.summary.longestBan??>${run.summary.longestBan} (${run.summary.banned} hosts)<#else>—</#if> | ${run.summary.rollbacksVerified}/${run.summary.rollbacks} |

## Hosts

| host | status | started | ended | took | proof | ban window | rollback |
|---|---|---|---|---|---|---|---|
<#list run.hosts as h>
| ${h.host} | ${h.status} | <@opt h.started/> | <@opt h.ended/> | <@opt h.lasted/> | <#if h.capture??><#if h.capture.proven>${h.capture.toExpected} to 127.0.0.1:53<#else>**not proven**</#if><#else>—</#if> | <#list h.bans as ban><#if ban.lasted??>${ban.lasted}<#else>not lifted in the journal</#if><#sep>, </#sep><#else>—</#list> | <#list h.rollbacks as r><@verified r.verified/><#sep>; </#sep><#else>—</#list> |
</#list>
<#list run.hosts as h>

### ${h.host}: ${h.status}
<#if h.reason??>

> ${h.reason}
</#if>

<#if h.capture??>
<#assign c = h.capture>
**Proof**: ${c.toExpected} queries for ${c.qname} went to 127.0.0.1:53, ${c.toForbidden} to a banned server.

| time | kind | source | destination | type |
|---|---|---|---|---|
<#list c.packets as p>
| ${p.time} | ${p.kind} | <#if p.local>**${p.source}**<#else>${p.source}</#if> | <#if p.local>**${p.destination}**<#else>${p.destination}</#if> | ${p.qtype} |
</#list>
<#if c.total gt c.packets?size>

${c.total - c.packets?size} more packets in the journal.
</#if>
<#else>
**Proof**: no capture in the journal: the verify step did not succeed on this host.
</#if>

<#if h.refreshes?has_content>
**Refresh** (the stall is how long the process was stopped; the client-side stall is not in the journal):

| pid | method | process stall | sockets | detail |
|---|---|---|---|---|
<#list h.refreshes as r>
| ${r.pid} | ${r.method} | <#if r.stall??>${r.stall}<#else>not stopped</#if> | <@opt r.sockets/> | <@opt r.detail/> |
</#list>
<#else>
**Refresh**: no process was refreshed on this host.
</#if>
<#if h.waitedS??>

The trigger waited ${h.waitedS} s for pgbouncer's cached answer to expire.
</#if>

<#list h.bans as ban>
**Ban window**: ${ban.addresses?join(", ")} banned from ${ban.from} to <@opt ban.to/><#if ban.lasted??> (${ban.lasted})</#if>; lifted by ${ban.liftedBy}.
<#sep>

</#sep>
<#else>
**Ban window**: the old servers were not banned on this host.
</#list>
<#if h.rollbacks?has_content>

**Rollbacks**:

| at | kind | why | verified | records undone |
|---|---|---|---|---|
<#list h.rollbacks as r>
| ${r.at} | ${r.kind} | <@opt r.reason/><#if r.problem??> (${r.problem})</#if> | <@verified r.verified/> | ${r.undone} |
</#list>
</#if>
<#if h.steps?has_content>

| <#if h.attempts gt 1>attempt | </#if># | step | action | started | took | result |
|<#if h.attempts gt 1>---|</#if>---|---|---|---|---|---|
<#list h.steps as s>
| <#if h.attempts gt 1>${s.attempt} | </#if>${s.number} | ${s.name} | <@opt s.action/> | ${s.started} | <@opt s.took/> | ${s.result}<#if s.error??>: ${s.error}</#if> |
</#list>
</#if>
</#list>

## Inputs

| input | SHA-256 (as the run recorded it) |
|---|---|
<#list run.inputs as name, hash>
| ${name} | ${hash} |
</#list>
| journal ${run.journal} | ${run.journalHash} |

Generated ${generated} by cutover report (${version}) from the run's journal only; no host was contacted.
