/**
 * ELBv2 documents (what the state tables hold) and the Elbv2Backend contract: the view the
 * emulated AWS Load Balancer Controller (src/addons/load-balancer) has of Elastic Load
 * Balancing — create/delete load balancers, target groups, listeners and rules, register and
 * deregister targets, report what the emulated health checks see, tags — plus a change feed the
 * local traffic proxies follow.
 *
 * Shapes follow botocore's elbv2 model (2015-12-01); states are the model's enums.
 */

export type LoadBalancerType = 'application' | 'network';
export type Scheme = 'internet-facing' | 'internal';
export type TargetType = 'instance' | 'ip';
export type Protocol = 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TLS' | 'TCP_UDP';

/** TargetHealth.State (botocore TargetHealthStateEnum). */
export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unhealthy.draining' | 'unused' | 'draining' | 'unavailable';

export interface Tag { key: string; value: string }

export interface LoadBalancerDoc {
  arn: string;
  name: string;
  type: LoadBalancerType;
  scheme: Scheme;
  region: string;
  accountId: string;
  vpcId: string;
  dnsName: string;
  canonicalHostedZoneId: string;
  createdTime: string;
  state: 'provisioning' | 'active' | 'failed';
  /** Subnets and their zones (AvailabilityZones[]). */
  zones: Array<{ zoneName: string; subnetId: string }>;
  securityGroups: string[];
  ipAddressType: 'ipv4' | 'dualstack';
  attributes: Record<string, string>;
  tags: Tag[];
}

export interface HealthCheckDoc {
  protocol: Protocol;
  /** A port number or `traffic-port`. */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** Matcher.HttpCode (HTTP/HTTPS health checks). */
  matcher?: string;
  enabled: boolean;
}

export interface TargetDoc {
  id: string;
  port: number;
  availabilityZone?: string;
  state: TargetHealthState;
  reason?: string;
  description?: string;
  /** Epoch ms the current state began. */
  since: number;
  /** Epoch ms at which a pending transition is due (end of initial checks, end of draining). */
  until?: number;
  /** Last health-check verdict reported for the target (what the emulated check would see). */
  probe: boolean;
}

export interface TargetGroupDoc {
  arn: string;
  name: string;
  region: string;
  accountId: string;
  protocol: Protocol;
  port: number;
  vpcId: string;
  targetType: TargetType;
  protocolVersion?: string;
  ipAddressType: 'ipv4' | 'ipv6';
  healthCheck: HealthCheckDoc;
  attributes: Record<string, string>;
  tags: Tag[];
  targets: TargetDoc[];
}

export type ActionDoc =
  | { type: 'forward'; targetGroups: Array<{ arn: string; weight: number }> }
  | { type: 'redirect'; protocol: string; port: string; host?: string; path?: string; query?: string; statusCode: 'HTTP_301' | 'HTTP_302' }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string };

export interface ListenerDoc {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: Protocol;
  certificates: string[];
  sslPolicy?: string;
  defaultActions: ActionDoc[];
  tags: Tag[];
}

export type ConditionDoc =
  | { field: 'host-header'; values: string[] }
  | { field: 'path-pattern'; values: string[] };

export interface RuleDoc {
  arn: string;
  listenerArn: string;
  /** 1..50000, or 'default'. */
  priority: string;
  conditions: ConditionDoc[];
  actions: ActionDoc[];
  tags: Tag[];
}

// ---- the backend contract ------------------------------------------------------------------

export interface CreateLoadBalancerInput {
  region: string;
  accountId: string;
  name: string;
  type: LoadBalancerType;
  scheme: Scheme;
  vpcId: string;
  subnets: Array<{ subnetId: string; zoneName: string }>;
  securityGroups?: string[];
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface CreateTargetGroupInput {
  region: string;
  accountId: string;
  name: string;
  protocol: Protocol;
  port: number;
  vpcId: string;
  targetType: TargetType;
  protocolVersion?: string;
  healthCheck?: Partial<HealthCheckDoc>;
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface CreateListenerInput {
  loadBalancerArn: string;
  port: number;
  protocol: Protocol;
  defaultActions: ActionDoc[];
  certificates?: string[];
  sslPolicy?: string;
  tags?: Record<string, string>;
}

export interface RuleInput {
  priority: number;
  conditions: ConditionDoc[];
  actions: ActionDoc[];
}

export interface TargetRef {
  id: string;
  port: number;
  availabilityZone?: string;
}

/** What changed (the proxies re-read only what they need). */
export type Elbv2Change =
  | { kind: 'load-balancer'; arn: string }
  | { kind: 'listener'; loadBalancerArn: string }
  | { kind: 'targets'; targetGroupArn: string };

export interface Elbv2Backend {
  /** Creates the load balancer, or returns the existing one of that name (CreateLoadBalancer is idempotent). */
  createLoadBalancer(input: CreateLoadBalancerInput): Promise<LoadBalancerDoc>;
  /** Deletes the load balancer with its listeners and rules; a no-op when absent. */
  deleteLoadBalancer(arn: string): Promise<void>;
  setLoadBalancerAttributes(arn: string, attributes: Record<string, string>): Promise<void>;
  loadBalancer(arn: string): LoadBalancerDoc | undefined;
  loadBalancerByName(region: string, accountId: string, name: string): LoadBalancerDoc | undefined;
  loadBalancers(): LoadBalancerDoc[];

  /** Creates the target group, or returns the existing one of that name. */
  createTargetGroup(input: CreateTargetGroupInput): Promise<TargetGroupDoc>;
  /** Deletes a target group (ResourceInUse while a listener or rule forwards to it). */
  deleteTargetGroup(arn: string): Promise<void>;
  setTargetGroupAttributes(arn: string, attributes: Record<string, string>): Promise<void>;
  setHealthCheck(arn: string, hc: Partial<HealthCheckDoc>): Promise<void>;
  targetGroup(arn: string): TargetGroupDoc | undefined;
  targetGroupByName(region: string, accountId: string, name: string): TargetGroupDoc | undefined;
  targetGroups(): TargetGroupDoc[];
  /** ARNs of load balancers whose listeners or rules forward to the target group. */
  loadBalancerArnsOf(targetGroupArn: string): string[];

  createListener(input: CreateListenerInput): Promise<ListenerDoc>;
  /** Replaces a listener's default actions, protocol, certificates. */
  modifyListener(arn: string, change: Partial<Pick<ListenerDoc, 'defaultActions' | 'protocol' | 'certificates' | 'sslPolicy'>>): Promise<void>;
  deleteListener(arn: string): Promise<void>;
  listeners(loadBalancerArn: string): ListenerDoc[];
  listener(arn: string): ListenerDoc | undefined;
  /** Makes the listener's non-default rules exactly `rules` (by priority). */
  setRules(listenerArn: string, rules: RuleInput[]): Promise<void>;
  /** The listener's rules, ordered by priority, the default rule last. */
  rules(listenerArn: string): RuleDoc[];

  /**
   * New targets start `initial`; already-registered ones are left alone; draining ones register
   * again. `healthy` is the first health-check verdict (default true).
   */
  registerTargets(targetGroupArn: string, targets: Array<TargetRef & { healthy?: boolean }>): Promise<void>;
  /** Registered targets go `draining` for the deregistration delay, then disappear. */
  deregisterTargets(targetGroupArn: string, targets: TargetRef[]): Promise<void>;
  /** What the emulated health check sees for each target (true = passes). */
  reportHealth(targetGroupArn: string, results: Array<TargetRef & { healthy: boolean }>): Promise<void>;
  /** Current targets with their state (draining ones included until the delay has passed). */
  targetHealth(targetGroupArn: string): TargetDoc[];

  addTags(arn: string, tags: Record<string, string>): Promise<void>;
  tagsOf(arn: string): Tag[] | undefined;

  /** Called after every change (synchronously after the write landed); returns an unsubscribe. */
  onChange(fn: (c: Elbv2Change) => void): () => void;
}

/** The effective state of a target, as DescribeTargetHealth shows it. */
export interface TargetHealthView {
  target: TargetDoc;
  state: TargetHealthState;
  reason?: string;
  description?: string;
}
