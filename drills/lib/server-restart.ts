import { burstDrill } from './burst-drill';
import type { DrillInfra } from './infra';
import type { Drill, DrillNeed } from './types';

/** How long a restarted server stays down before it is started again. */
export const DOWN_MS = 2000;

/** A booking burst during which one of the servers the service needs is stopped and started again. */
export function serverRestartDrill(spec: {
  name: string;
  title: string;
  need: DrillNeed;
  restart(infra: DrillInfra): Promise<string>;
}): Drill {
  return burstDrill({
    name: spec.name,
    title: spec.title,
    needs: [spec.need],
    disrupt: (_ds, ctx) => spec.restart(ctx.infra),
  });
}
