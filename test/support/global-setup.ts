import { ensureSchemas } from './k8s-schema';

export default async function globalSetup(): Promise<void> {
  await ensureSchemas();
}
