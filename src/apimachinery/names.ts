/**
 * generateName, as k8s.io/apiserver/pkg/storage/names/generate.go (SimpleNameGenerator): the base
 * is cut to 58 bytes so that base + 5 random characters fit the 63-character limit, and the
 * random part uses utilrand.String's alphabet (no vowels, no 0/1/3, so no words or look-alikes).
 */

export const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const MAX_NAME_LENGTH = 63;
export const RANDOM_LENGTH = 5;
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/**
 * Returns `base` (truncated to MAX_GENERATED_NAME_LENGTH) followed by 5 random characters.
 * `rand` returns a float in [0, 1) (default Math.random); inject it for deterministic tests.
 */
export function generateName(base: string, rand: () => number = Math.random): string {
  // Upstream truncates by bytes; generateName is validated as a DNS subdomain prefix, so it is ASCII
  // whenever the result can be valid. Cut by bytes anyway, backing off a split UTF-8 sequence.
  let b = base;
  if (Buffer.byteLength(b, 'utf8') > MAX_GENERATED_NAME_LENGTH) {
    const buf = Buffer.from(b, 'utf8');
    let end = MAX_GENERATED_NAME_LENGTH;
    while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
    b = buf.subarray(0, end).toString('utf8');
  }
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    const idx = Math.min(GENERATE_NAME_ALPHABET.length - 1, Math.floor(rand() * GENERATE_NAME_ALPHABET.length));
    suffix += GENERATE_NAME_ALPHABET[idx];
  }
  return b + suffix;
}
