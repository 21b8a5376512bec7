// LighthouseModel: the instances, blueprints and key pairs one server holds, with their asynchronous
// operations. The seeds are in seed.mjs.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { regionOfZone } from './catalog.mjs';
import { clone } from './json.mjs';
import { demoBlueprints, instance, makeFleet } from './seed.mjs';

export { demoSeed, makeFleet } from './seed.mjs';

/** What a finished StartInstances / StopInstances / RebootInstances does; other actions change nothing. */
export const POWER = {
  StartInstances: { from: ['STOPPED'], during: 'STARTING', to: 'RUNNING' },
  StopInstances: { from: ['RUNNING'], during: 'STOPPING', to: 'STOPPED' },
  RebootInstances: { from: ['RUNNING'], during: 'REBOOTING', to: 'RUNNING' },
};
const powerApplier = (action) => (inst) => {
  if (POWER[action]) inst.InstanceState = POWER[action].to;
};

/** Tencent's time format: 2026-11-26T18:00:00Z (UTC, no milliseconds). */
const tencentTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One server's account. `cfg` is the server's live configuration: operatingPolls, operatingMs and clockOffsetMs
 * are read from it at each use, so configure() takes effect at once. Instances live in the region of their Zone,
 * blueprints in every region unless seeded with `Regions`.
 */
export class LighthouseModel {
  constructor(cfg, baseSeed) {
    this.cfg = cfg;
    this.baseSeed = baseSeed;
    this.instances = new Map(); // InstanceId -> Instance (public shape)
    this.blueprints = new Map(); // BlueprintId -> Blueprint (public shape)
    this.blueprintRegions = new Map(); // BlueprintId -> Set of regions; absent = every region
    this.keyPairs = new Map(); // KeyId -> KeyPair (account-wide here; AssociatedInstanceIds computed)
    this.ops = new Map(); // InstanceId -> { action, requestId, startedAt (performance ms), polls, fail, apply(inst) }
    this.failNext = new Set();
  }

  /** The server clock. */
  now() {
    return Date.now() + this.cfg.clockOffsetMs;
  }

  /** Back to the base seed, or to `{ instances?, blueprints?, keyPairs?, fleet?: n }`; pending failNextReset()s dropped. */
  reset(seedOptions = {}) {
    const seed = {
      instances: seedOptions.fleet !== undefined ? makeFleet(seedOptions.fleet) : (seedOptions.instances ?? this.baseSeed.instances),
      blueprints: seedOptions.blueprints ?? this.baseSeed.blueprints,
      keyPairs: seedOptions.keyPairs ?? this.baseSeed.keyPairs,
    };
    this.blueprints = new Map();
    this.blueprintRegions = new Map();
    for (const { Regions, ...b } of seed.blueprints.map(clone)) {
      this.blueprints.set(b.BlueprintId, b);
      if (Regions) this.blueprintRegions.set(b.BlueprintId, new Set(Regions));
    }
    // Key pairs: ids (as older seeds gave them) or KeyPair objects.
    this.keyPairs = new Map(
      seed.keyPairs.map((k) => {
        const kp = typeof k === 'string' ? { KeyId: k } : clone(k);
        return [kp.KeyId, { KeyName: kp.KeyId, PublicKey: '', CreatedTime: '2025-01-01T00:00:00Z', ...kp, PrivateKey: null }];
      }),
    );
    this.instances = new Map();
    this.ops = new Map();
    for (const i of seed.instances) {
      const inst = this.completeInstance(clone(i));
      this.instances.set(inst.InstanceId, inst);
      this.trackOperationFromFields(inst);
    }
    this.failNext.clear();
  }

  /** The instances of one region (the region of their Zone), in seed order. */
  instancesIn(region) {
    return [...this.instances.values()].filter((i) => regionOfZone(i.Zone) === region);
  }

  /** The blueprints that exist in one region. */
  blueprintsIn(region) {
    return [...this.blueprints.values()].filter((b) => this.blueprintRegions.get(b.BlueprintId)?.has(region) ?? true);
  }

  completeInstance(partial) {
    const blueprints = [...this.blueprints.values()];
    return instance(partial.InstanceId, partial, blueprints.length ? blueprints : demoBlueprints());
  }

  /** An instance seeded or patched as OPERATING gets a modelled operation that finishes like its action. */
  trackOperationFromFields(inst) {
    if (inst.LatestOperationState === 'OPERATING') {
      const action = inst.LatestOperation ?? 'ResetInstance';
      inst.LatestOperation = action;
      inst.LatestOperationRequestId ??= randomUUID();
      inst.LatestOperationStartedTime ??= tencentTime(this.now());
      this.ops.set(inst.InstanceId, {
        action,
        requestId: inst.LatestOperationRequestId,
        startedAt: performance.now(),
        polls: 0,
        fail: false,
        apply: action === 'ResetInstance' ? this.resetApplier(inst.BlueprintId, null) : powerApplier(action),
      });
    } else {
      this.ops.delete(inst.InstanceId);
    }
  }

  /** What a finished reset does to the instance. */
  resetApplier(blueprintId, keyIds) {
    return (inst) => {
      const bp = this.blueprints.get(blueprintId);
      if (bp) {
        inst.BlueprintId = bp.BlueprintId;
        inst.OsName = bp.OsName;
        inst.Platform = bp.Platform;
        inst.PlatformType = bp.PlatformType;
      }
      if (keyIds) inst.LoginSettings = { ...inst.LoginSettings, KeyIds: [...keyIds] };
      inst.InstanceState = 'RUNNING';
    };
  }

  startOperation(inst, action, requestId, apply) {
    const fail = action === 'ResetInstance' && this.failNext.delete(inst.InstanceId);
    inst.LatestOperation = action;
    inst.LatestOperationState = 'OPERATING';
    inst.LatestOperationRequestId = requestId;
    inst.LatestOperationStartedTime = tencentTime(this.now());
    this.ops.set(inst.InstanceId, { action, requestId, startedAt: performance.now(), polls: 0, fail, apply });
  }

  /** Finish the instance's operation if it has been polled enough and has run long enough. */
  settle(inst) {
    const op = this.ops.get(inst.InstanceId);
    if (!op) return;
    if (op.polls < this.cfg.operatingPolls || performance.now() - op.startedAt < this.cfg.operatingMs) return;
    this.ops.delete(inst.InstanceId);
    if (inst.LatestOperationRequestId !== op.requestId) return; // overwritten by setInstance
    if (op.fail) {
      inst.LatestOperationState = 'FAILED';
    } else {
      op.apply(inst);
      inst.LatestOperationState = 'SUCCESS';
    }
  }

  setInstance(instanceId, patch = {}) {
    if (typeof instanceId !== 'string') throw new TypeError('setInstance: instanceId must be a string');
    let inst = this.instances.get(instanceId);
    if (!inst) {
      inst = this.completeInstance({ ...patch, InstanceId: instanceId });
      this.instances.set(instanceId, inst);
    } else {
      Object.assign(inst, clone(patch), { InstanceId: instanceId });
    }
    if ('LatestOperationState' in patch || 'LatestOperationRequestId' in patch) this.trackOperationFromFields(inst);
    return clone(inst);
  }

  getInstance(instanceId) {
    const inst = this.instances.get(instanceId);
    if (!inst) return undefined;
    this.settle(inst);
    return clone(inst);
  }
}
