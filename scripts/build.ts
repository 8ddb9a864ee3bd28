import { buildService } from './lib/build-service';

/** `npm run build [outDir]`: what images run (node dist/worker.js, node dist/api/server.js…). */
buildService(process.argv[2] ?? 'dist')
  .then(({ outDir, workflowBundlePath }) => console.log(`Built ${outDir} (workflows: ${workflowBundlePath})`))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
