import type { Signatory, SignOffOptions } from '../model/config.ts';
import type { SignOffEntry } from '../model/report.ts';

const ROLES = [['prepared', 'preparedBy'], ['reviewed', 'reviewedBy'], ['approved', 'approvedBy']] as const;

/**
 * The sign-off block: per role, the checklist state's entry (the dated record kept with the
 * attestations), else the config's; a role nobody was named for stays a blank line to sign.
 */
export function signOffBlock(config: SignOffOptions, state: SignOffOptions | undefined): SignOffEntry[] {
  return ROLES.map(([role, key]) => {
    const fromState = state?.[key];
    const who: Signatory | undefined = fromState ?? config[key];
    const entry: SignOffEntry = { role };
    if (!who) return entry;
    entry.name = who.name;
    if (who.role !== undefined) entry.title = who.role;
    if (who.date !== undefined) entry.date = who.date;
    entry.source = fromState ? 'checklist' : 'config';
    return entry;
  });
}
