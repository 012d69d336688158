/**
 * shared-db-drift: projects sharing one database whose migrations differ (a
 * migration one has and another lacks, or the same one written differently);
 * see sharedDb/schemaGuard.ts. Read from the migration files, so it holds in
 * any workspace.
 */
import { groupDrift } from '../../sharedDb/schemaGuard';
import type { DoctorCheck } from '../doctorCheck';

export const sharedDbDrift: DoctorCheck = {
  code: 'shared-db-drift',
  run: async (context) => {
    const finding = await groupDrift([context.root, ...(await context.sharedWith())]);
    return finding ? [finding] : [];
  },
};
