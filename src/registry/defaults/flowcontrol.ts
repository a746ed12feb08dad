/** flowcontrol.apiserver.k8s.io/v1 defaults (pkg/apis/flowcontrol/v1/defaults.go). */
import { defaultNil, isZeroNumber, objOf, struct, type Obj } from './util.js';

/** SetDefaults_FlowSchemaSpec: matchingPrecedence 1000. */
export function defaultFlowSchema(fs: Obj): void {
  const spec = struct(fs, 'spec');
  if (isZeroNumber(spec.matchingPrecedence)) spec.matchingPrecedence = 1000;
}

/** Exempt and Limited priority levels, and the queuing configuration (hand size 8, 64 queues, 50 long). */
export function defaultPriorityLevelConfiguration(plc: Obj): void {
  const spec = objOf(plc.spec);
  const exempt = objOf(spec?.exempt);
  if (exempt) {
    defaultNil(exempt, 'nominalConcurrencyShares', 0);
    defaultNil(exempt, 'lendablePercent', 0);
  }
  const limited = objOf(spec?.limited);
  if (!limited) return;
  defaultNil(limited, 'nominalConcurrencyShares', 30);
  defaultNil(limited, 'lendablePercent', 0);
  const queuing = objOf(objOf(limited.limitResponse)?.queuing);
  if (!queuing) return;
  if (isZeroNumber(queuing.handSize)) queuing.handSize = 8;
  if (isZeroNumber(queuing.queues)) queuing.queues = 64;
  if (isZeroNumber(queuing.queueLengthLimit)) queuing.queueLengthLimit = 50;
}
