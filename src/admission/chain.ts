/** Runs admission plugins in order: all mutating hooks, then (later, from the store) all validating ones. */
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async mutate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await p.mutate(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(attrs);
  }
}
