import { prepareSharedAssets } from './envtest';
import { ensureSchema } from './k8s-schema';

export default async function globalSetup(): Promise<void> {
  await ensureSchema();
  prepareSharedAssets();
}
