/**
 * The AWS side's shared vocabulary: who signed a request, the request context an operation runs
 * in, the one error type (AwsError), and the shape of a service definition for each protocol
 * (rest-json for EKS; query for IAM, STS, ELBv2, Auto Scaling; ec2 for EC2).
 *
 * The layering mirrors the Kubernetes side: aws/core (SigV4 check, codecs, error envelopes,
 * routing) → aws/services/<service> (operations → state). Services never parse HTTP or write
 * XML themselves: they read typed parameters and return plain values the codec serialises.
 */

/** The identity behind an access key (what STS GetCallerIdentity reports). */
export interface AwsPrincipal {
  accountId: string;
  /** arn:aws:iam::A:root | arn:aws:iam::A:user/<path>N | arn:aws:sts::A:assumed-role/R/S */
  arn: string;
  /** GetCallerIdentity's UserId: the account id (root), AIDA… (user), AROA…:<session> (assumed role). */
  userId: string;
  type: 'root' | 'user' | 'assumed-role';
  /** Assumed roles: the role's IAM ARN (arn:aws:iam::A:role/<path>R) and the session name. */
  roleArn?: string;
  sessionName?: string;
  /** IAM users: the user name. */
  userName?: string;
}

/** An access key keks knows: the configured root key, IAM users' keys, STS temporary credentials. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary (STS) credentials: requests must carry this as X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch ms after which temporary credentials stop working. */
  expiresAt?: number;
  status: 'Active' | 'Inactive';
  principal: AwsPrincipal;
}

/** Resolves access key ids (SigV4 requests and EKS tokens are verified with the secret it returns). */
export interface CredentialStore {
  lookup(accessKeyId: string): AccessKeyRecord | undefined;
}

/** What an operation knows about its request. */
export interface AwsRequestContext {
  requestId: string;
  /** From the SigV4 credential scope (IAM and STS accept any). */
  region: string;
  caller: AwsPrincipal;
  accessKeyId: string;
  /** Signing name from the credential scope: eks, sts, iam, ec2, autoscaling, elasticloadbalancing. */
  service: string;
  /** The operation name, e.g. DescribeCluster, CreateUser. */
  operation: string;
}

/**
 * The one error type on AWS paths. `code` is what botocore maps to an exception class: for query
 * services the model's error code (NoSuchEntity, not NoSuchEntityException); for rest-json the
 * shape name (ResourceNotFoundException). `status` is 4xx for user mistakes — never 5xx, which
 * SDKs retry. `fields` are extra members of a rest-json error body (clusterName, nodegroupName…).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Record<string, unknown>;

  constructor(code: string, message: string, status = 400, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/**
 * Parameters of a query/ec2 request (form body or query string), read with the protocol's list
 * convention: query lists are `Name.member.N`, maps `Name.entry.N.key|value`; ec2 lists are
 * `Name.N` (the handler passes the ec2 query name, e.g. `Filter`, `InstanceId`, `Value`).
 */
export interface QueryParams {
  get(name: string): string | undefined;
  /** Throws the protocol's missing-parameter error when absent or empty. */
  required(name: string): string;
  /** Integer parameter; a non-integer value throws a 400 validation error naming the parameter. */
  int(name: string): number | undefined;
  /** 'true' / 'false' (case-insensitive); anything else throws a 400 validation error. */
  bool(name: string): boolean | undefined;
  /** A list of scalars. */
  list(name: string): string[];
  /** A list of structures, each as a nested view. */
  structs(name: string): QueryParams[];
  /** A nested structure `Name.Field`, or undefined when no `Name.` parameter exists. */
  struct(name: string): QueryParams | undefined;
  /** A map: query `Name.entry.N.key` / `.value`. */
  map(name: string): Record<string, string>;
  /** Every raw parameter name (for validating unknown parameters, debugging). */
  names(): string[];
}

/**
 * A value the XML codecs serialise. Objects become elements in key order; arrays become repeated
 * `<member>` (query) or `<item>` (ec2) children of the element named by their key; Date → ISO
 * 8601 with milliseconds; booleans → true|false; null/undefined members are omitted.
 */
export type XmlValue = string | number | boolean | Date | null | undefined | XmlValue[] | XmlObject;
export interface XmlObject { [key: string]: XmlValue }

/** A query or ec2 operation: parameters in, the body of its `<XResult>` (query) or `<XResponse>` (ec2) out. */
export type QueryHandler = (params: QueryParams, ctx: AwsRequestContext) => XmlObject | void | Promise<XmlObject | void>;

export interface QueryService {
  protocol: 'query' | 'ec2';
  /** SigV4 signing name (credential scope service). */
  signingName: string;
  /** The `Version` parameter this service answers (ELB classic and ELBv2 share a signing name). */
  version: string;
  /** XML namespace of responses, e.g. https://iam.amazonaws.com/doc/2010-05-08/ */
  xmlns: string;
  actions: Record<string, QueryHandler>;
}

export interface RestJsonRequest {
  /** Path labels, already percent-decoded per segment (e.g. name, nodegroupName, resourceArn). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body ({} for GET/DELETE or an empty body). */
  body: Record<string, unknown>;
}

export type RestJsonHandler = (req: RestJsonRequest, ctx: AwsRequestContext) => unknown | Promise<unknown>;

export interface RestJsonRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template with {labels}, e.g. /clusters/{name}/node-groups/{nodegroupName}. */
  path: string;
  operation: string;
  handler: RestJsonHandler;
  /** Success status (200 unless the model says otherwise). */
  status?: number;
}

export interface RestJsonService {
  protocol: 'rest-json';
  signingName: string;
  routes: RestJsonRoute[];
}

export type AwsService = QueryService | RestJsonService;
