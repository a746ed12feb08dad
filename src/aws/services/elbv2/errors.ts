/**
 * ELBv2 errors with the codes botocore's elbv2 model declares (all 400) and the messages AWS
 * returns (as recorded by moto's elbv2/exceptions.py).
 */
import { AwsError } from '../../core/types.js';

export const lbNotFound = (): AwsError => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
export const tgNotFound = (): AwsError => new AwsError('TargetGroupNotFound', 'One or more target groups not found');
export const listenerNotFound = (): AwsError => new AwsError('ListenerNotFound', 'One or more listeners not found');
export const ruleNotFound = (): AwsError => new AwsError('RuleNotFound', 'One or more rules not found');
export const duplicateLbName = (): AwsError => new AwsError('DuplicateLoadBalancerName', 'A load balancer with the specified name already exists.');
export const duplicateTgName = (): AwsError => new AwsError('DuplicateTargetGroupName', 'A target group with the specified name already exists.');
export const duplicateListener = (): AwsError => new AwsError('DuplicateListener', 'A listener with the specified port already exists.');
export const resourceInUse = (msg: string): AwsError => new AwsError('ResourceInUse', msg);
export const validation = (msg: string): AwsError => new AwsError('ValidationError', msg);
