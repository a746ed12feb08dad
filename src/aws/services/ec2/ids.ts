/**
 * EC2 resource ids: `<prefix>-` + 17 lowercase hex digits (vpc-, subnet-, sg-, i-, r-, sgr-),
 * the long id format every region has used since 2018.
 */
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Whether `id` looks like an id of this prefix (8 or 17 hex digits, the short and long forms). */
export function isWellFormedId(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}
