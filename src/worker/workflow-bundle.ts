import { workflowConverterPaths } from '../temporal/data-converter';

type Report = (message: string) => void;
const quiet: Report = () => undefined;

/**
 * The workers' workflow code, bundled once (about 2 s of CPU) with this service's converters: the
 * build, the test runner, the test helpers, the cluster and the drills all bundle through here.
 * The bundler's warnings and errors go to `problems`, its progress to `progress`; both are quiet
 * unless given.
 */
export async function bundleServiceWorkflows(
  report: { problems?: Report; progress?: Report } = {},
): Promise<{ code: string }> {
  const { problems = quiet, progress = quiet } = report;
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    ...workflowConverterPaths,
    logger: {
      log: progress,
      trace: progress,
      debug: progress,
      info: progress,
      warn: problems,
      error: problems,
    },
  });
}
