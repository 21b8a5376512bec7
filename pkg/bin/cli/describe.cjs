// describe, blueprints: every page of DescribeInstances / DescribeBlueprints, by ID or by --filter.
'use strict';

const { UsageError, out, err, printJson } = require('./io.cjs');
const { needRegion } = require('./args.cjs');
const { makeClient } = require('./client.cjs');
const { table, text } = require('./format.cjs');

const PAGE = 100; // the API's largest Limit

/** --filter name=v1,v2 (repeatable; one name given twice gathers its values) as the API's Filters. */
function parseFilters(raw = []) {
  const byName = new Map();
  for (const f of raw) {
    const eq = f.indexOf('=');
    const name = eq < 0 ? '' : f.slice(0, eq).trim();
    const values =
      eq < 0
        ? []
        : f
            .slice(eq + 1)
            .split(',')
            .map((v) => v.trim());
    if (!name || values.some((v) => v === '')) {
      throw new UsageError(`--filter must be NAME=VALUE[,VALUE...] (e.g. --filter instance-state=RUNNING), got "${f}".`);
    }
    byName.set(name, [...(byName.get(name) ?? []), ...values]);
  }
  return [...byName].map(([Name, Values]) => ({ Name, Values }));
}

/** Pages of a filtered listing: the library's paginator when it has one, else Offset/Limit until TotalCount. */
async function* pages(client, { method, paginator, setName }, input) {
  if (paginator && typeof client[paginator] === 'function') {
    yield* client[paginator](input, { pageSize: PAGE });
    return;
  }
  for (let offset = 0, seen = 0; ; offset += PAGE) {
    const page = await client[method]({ ...input, Offset: offset, Limit: PAGE });
    yield page;
    const n = page[setName]?.length ?? 0;
    seen += n;
    // A short or empty page ends it too: a TotalCount that grows meanwhile cannot loop for ever.
    if (n < PAGE || seen >= (page.TotalCount ?? 0)) return;
  }
}

/** Every match of a Describe* action, merged into one Response. */
async function describeAll(client, spec, ids, filters) {
  const { method, setName, idsName } = spec;
  const set = [];
  let last;
  if (ids.length > 0) {
    for (let i = 0; i < ids.length; i += PAGE) {
      last = await client[method]({ [idsName]: ids.slice(i, i + PAGE) });
      set.push(...(last[setName] || []));
    }
    return { TotalCount: set.length, [setName]: set, RequestId: last.RequestId };
  }
  for await (const page of pages(client, spec, filters.length ? { Filters: filters } : {})) {
    last = page;
    set.push(...(page[setName] || []));
  }
  return { TotalCount: last.TotalCount ?? set.length, [setName]: set, RequestId: last.RequestId };
}

function listing(values, args, spec) {
  const filters = parseFilters(values.filter);
  if (args.length && filters.length) throw new UsageError(`--filter cannot be combined with ${spec.idsName} (the API takes one or the other).`);
  if (spec.method === 'describeInstances') needRegion(values, '"describe"');
  return describeAll(makeClient(values), spec, args, filters);
}

const INSTANCE_HEADERS = ['INSTANCE ID', 'NAME', 'STATE', 'OS', 'LATEST OPERATION', 'ZONE', 'PUBLIC IP'];
const instanceRow = (i) => [
  i.InstanceId,
  i.InstanceName,
  i.InstanceState,
  i.OsName,
  i.LatestOperation ? `${i.LatestOperation} ${i.LatestOperationState ?? ''}`.trim() : '',
  i.Zone,
  (i.PublicAddresses || []).join(','),
];

async function describe(values, args) {
  const spec = { method: 'describeInstances', paginator: 'paginateDescribeInstances', setName: 'InstanceSet', idsName: 'InstanceIds' };
  const res = await listing(values, args, spec);
  if (values.output === 'json') return printJson(res);
  const seen = new Set(res.InstanceSet.map((i) => i.InstanceId));
  const missing = args.filter((id) => !seen.has(id));
  if (values.output === 'text') out(text(res.InstanceSet.map(instanceRow)));
  else if (res.InstanceSet.length === 0) out(args.length ? '' : 'No instances.\n');
  else out(table(INSTANCE_HEADERS, res.InstanceSet.map(instanceRow)));
  if (missing.length) err(`Not found: ${[...new Set(missing)].join(' ')}\n`);
}

const BLUEPRINT_HEADERS = ['BLUEPRINT ID', 'TITLE', 'VERSION', 'OS', 'TYPE', 'PLATFORM', 'STATE'];
const blueprintRow = (b) => [b.BlueprintId, b.DisplayTitle, b.DisplayVersion, b.OsName, b.BlueprintType, b.PlatformType, b.BlueprintState];

const RESETTABLE_HEADERS = ['BLUEPRINT ID', 'TITLE', 'VERSION', 'OS', 'PLATFORM', 'RESETTABLE', 'WHY NOT'];
const resettableRow = ({ BlueprintInfo: b = {}, IsResettable, NonResettableMessage }) => [
  b.BlueprintId,
  b.DisplayTitle,
  b.DisplayVersion,
  b.OsName,
  b.PlatformType,
  IsResettable ? 'yes' : 'no',
  IsResettable ? '' : NonResettableMessage,
];

/** blueprints --for ID: the images that instance can be reset to (DescribeResetInstanceBlueprints), every page, each with why not. */
async function resettable(values, args) {
  if (args.length || values.filter?.length)
    throw new UsageError('--for INSTANCE lists the images of one instance: give no BlueprintId and no --filter with it.');
  needRegion(values, '"blueprints --for"');
  const client = makeClient(values);
  const set = [];
  let last;
  for (let Offset = 0; ; ) {
    last = await client.describeResetInstanceBlueprints({ InstanceId: values.for, Offset, Limit: PAGE });
    const page = last.ResetInstanceBlueprintSet || [];
    set.push(...page);
    Offset += PAGE;
    if (page.length === 0 || Offset >= last.TotalCount) break;
  }
  const res = { TotalCount: last.TotalCount ?? set.length, ResetInstanceBlueprintSet: set, RequestId: last.RequestId };
  if (values.output === 'json') return printJson(res);
  if (values.output === 'text') return out(text(set.map(resettableRow)));
  if (set.length === 0) return out('No images for this instance.\n');
  out(table(RESETTABLE_HEADERS, set.map(resettableRow)));
}

async function blueprints(values, args) {
  if (values.for !== undefined) return resettable(values, args);
  const spec = { method: 'describeBlueprints', paginator: 'paginateDescribeBlueprints', setName: 'BlueprintSet', idsName: 'BlueprintIds' };
  const res = await listing(values, args, spec);
  if (values.output === 'json') return printJson(res);
  if (values.output === 'text') return out(text(res.BlueprintSet.map(blueprintRow)));
  if (res.BlueprintSet.length === 0) return out('No blueprints.\n');
  out(table(BLUEPRINT_HEADERS, res.BlueprintSet.map(blueprintRow)));
}

module.exports = { describe, blueprints, parseFilters, describeAll };
