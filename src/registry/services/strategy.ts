/**
 * The Service strategy (pkg/registry/core/service/strategy.go): status starts as
 * `{loadBalancer: {}}`; on update the status is kept, omitted allocated values are carried over
 * (patchAllocatedValues), clusterIP/clusterIPs are normalised and fields a type change made
 * meaningless are dropped. Allocation itself happens in the store hooks (install.ts).
 */
import type { KubeObject } from '../../api/types.js';
import { nameIsDNS1035Label } from '../../apimachinery/validation/names.js';
import { defaultStrategy } from '../default-strategy.js';
import type { Strategy } from '../strategy.js';
import { dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues } from './service-fields.js';

export function serviceStrategy(): Strategy {
  return defaultStrategy({ hasStatus: true, validateName: nameIsDNS1035Label }, {
    returnDeletedObject: true,
    prepareForCreate(obj: KubeObject) {
      obj.status = { loadBalancer: {} };
      normalizeClusterIPs(obj, null);
    },
    prepareForUpdate(obj: KubeObject, old: KubeObject) {
      obj.status = old.status ?? { loadBalancer: {} };
      patchAllocatedValues(obj, old);
      normalizeClusterIPs(obj, old);
      dropTypeDependentFields(obj, old);
    },
  });
}
