/**
 * RBAC escalation prevention on writes of Roles, ClusterRoles and their bindings, as
 * k8s.io/kubernetes/pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased
 * do it, run as a validating admission step (it sees the final object of a create, update or
 * patch). Roles: allowed for system:masters, for holders of `escalate` on the role, or when the
 * writer's own RBAC rules (in the role's namespace) cover the new rules; an aggregationRule needs
 * full authority. Bindings: system:masters, `bind` on the referenced role, or covering its rules.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/types.js';
import type { KubeObject } from '../../api/types.js';
import { forbidden } from '../../apimachinery/errors.js';
import { decide } from '../../auth/authz/bootstrap.js';
import type { Authorizer, AuthzAttributes } from '../../auth/authz/types.js';
import { escalationAllowed, escalationMessage, FULL_AUTHORITY } from '../../auth/authz/rbac/escalation.js';
import { roleReferenceRules, rulesFor } from '../../auth/authz/rbac/resolver.js';
import type { BindingObject, PolicyRule, RbacReader, RoleObject } from '../../auth/authz/rbac/types.js';

const GROUP = 'rbac.authorization.k8s.io';
const ROLES = new Set(['roles', 'clusterroles']);
const BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);

export interface RbacEscalationOptions {
  reader: RbacReader;
  /** The server's whole authorizer chain (escalate/bind are asked of it, webhooks included). */
  authorizers: () => Authorizer[];
}

/** IsOnlyMutatingGCFields: nothing but ownerReferences/finalizers (and bookkeeping) changed. */
function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject | null): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata;
    return JSON.stringify({ ...o, metadata: meta });
  };
  return strip(obj) === strip(old);
}

export function rbacEscalationCheck(opts: RbacEscalationOptions): AdmissionPlugin {
  const allowed = async (a: AuthzAttributes) => (await decide(opts.authorizers(), a)).decision === 'allow';
  const base = (attrs: AdmissionAttributes): Omit<AuthzAttributes, 'verb' | 'resource' | 'name' | 'namespace'> => ({
    user: attrs.user, isResourceRequest: true, path: '', apiGroup: GROUP, apiVersion: attrs.version, subresource: '',
  });

  const confirm = (attrs: AdmissionAttributes, name: string, requested: readonly PolicyRule[]): void => {
    const owner = rulesFor(opts.reader, attrs.user, attrs.namespace);
    const msg = escalationMessage(attrs.user, owner.rules, requested, owner.errors);
    if (msg) throw forbidden({ group: GROUP, resource: attrs.resource }, name, msg);
  };

  return {
    name: 'RBACEscalation',
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.group !== GROUP || attrs.subresource || !attrs.object) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (!ROLES.has(attrs.resource) && !BINDINGS.has(attrs.resource)) return;
      if (escalationAllowed(attrs.user)) return;
      const obj = attrs.object;
      const name = obj.metadata.name ?? attrs.name;
      if (attrs.operation === 'UPDATE' && onlyGcFieldsChanged(obj, attrs.oldObject)) return;
      if (ROLES.has(attrs.resource)) {
        // RoleEscalationAuthorized: the `escalate` verb on this role (the request's name and namespace).
        if (await allowed({ ...base(attrs), verb: 'escalate', resource: attrs.resource, name: attrs.operation === 'CREATE' ? '' : name, namespace: attrs.namespace })) return;
        const role = obj as unknown as RoleObject;
        confirm(attrs, name, role.rules ?? []);
        if (attrs.resource === 'clusterroles' && role.aggregationRule) {
          const owner = rulesFor(opts.reader, attrs.user, '');
          if (escalationMessage(attrs.user, owner.rules, FULL_AUTHORITY)) {
            throw forbidden({ group: GROUP, resource: attrs.resource }, name, 'must have cluster-admin privileges to use the aggregationRule');
          }
        }
        return;
      }
      const binding = obj as unknown as BindingObject;
      const ref = binding.roleRef ?? { apiGroup: '', kind: '', name: '' };
      // BindingAuthorized: `bind` on the referenced role, in the binding's namespace.
      const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
      if (refResource && await allowed({ ...base(attrs), apiGroup: ref.apiGroup, verb: 'bind', resource: refResource, name: ref.name, namespace: attrs.namespace })) return;
      const got = roleReferenceRules(opts.reader, ref, attrs.namespace);
      if ('error' in got) throw forbidden({ group: GROUP, resource: attrs.resource }, name, got.error);
      confirm(attrs, name, got.rules);
    },
  };
}
