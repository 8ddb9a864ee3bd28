import type { Container } from '../container';
import type { ApiArea } from './route';
import { createHealthArea } from './routes/health';

/** Every API area, in the order their routes are matched. */
export function createAreas(container: Container): ApiArea[] {
  const health = createHealthArea([
    { name: 'postgres', check: async () => void (await container.db.raw('select 1')) },
    { name: 'temporal', check: async () => void (await container.temporal.connection.workflowService.getSystemInfo({})) },
  ]);
  return [health];
}
