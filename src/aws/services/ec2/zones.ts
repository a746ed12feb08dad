/**
 * Availability zones per region. Zone ids (use1-az1) map per account on AWS; here the mapping is
 * stable per zone name and the same one the simulator uses (src/simulator/addressing.ts zoneId —
 * duplicated because aws/ must not import simulator/).
 */

/** Zone letters of regions whose zones are not simply a, b, c. */
const ZONE_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-west-2': 'abcd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-1': 'acd',
  'us-west-1': 'bc',
  'ca-central-1': 'abd',
};

/** The zone names of a region, in order (<region>a, <region>b, …). */
export function zonesOf(region: string): string[] {
  return [...(ZONE_LETTERS[region] ?? 'abc')].map((l) => `${region}${l}`);
}

/** A zone id such as use1-az1 or apne2-az3 for a zone name; the name itself when unparsable. */
export function zoneId(zone: string): string {
  const m = /^([a-z]{2})-([a-z]+)-(\d)([a-z])$/.exec(zone);
  if (!m) return zone;
  const dir = m[2].replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w').replace('central', 'c');
  return `${m[1]}${dir}${m[3]}-az${m[4].charCodeAt(0) - 96}`;
}

/** Private DNS name of an address: ip-a-b-c-d.ec2.internal in us-east-1, else ip-a-b-c-d.<region>.compute.internal. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** Public DNS name of an address: ec2-a-b-c-d.compute-1.amazonaws.com in us-east-1, else ec2-a-b-c-d.<region>.compute.amazonaws.com. */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}
