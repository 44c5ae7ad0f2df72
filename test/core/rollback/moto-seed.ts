import { DeregisterTaskDefinitionCommand, CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { startMoto, useEnv, type Moto } from '../../helpers/moto.js';

/**
 * Starts moto with a seeded ECS world: cluster "prod", service "web-api" (desired 2) on web-api:4, revisions
 * 1..4 with web-api:3 deregistered (INACTIVE). moto never runs tasks, so it is told every service is fully
 * running (MOTO_ECS_SERVICE_RUNNING) and reports the existing deployment COMPLETED instead of IN_PROGRESS.
 */
export async function startSeededMoto(): Promise<Moto> {
  const restore = useEnv({ MOTO_ECS_SERVICE_RUNNING: '2' });
  let moto: Moto;
  try {
    moto = await startMoto();
  } finally {
    restore();
  }
  const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  for (let rev = 1; rev <= 4; rev++) {
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'web-api',
      cpu: rev === 4 ? '512' : '256',
      memory: '512',
      containerDefinitions: [{
        name: 'app',
        image: `registry.example/web-api:v${rev}`,
        memory: 512,
        environment: [{ name: 'LOG_LEVEL', value: 'info' }, ...(rev === 4 ? [{ name: 'FEATURE_CHECKOUT_V2', value: 'secret-value-4' }] : [])],
      }],
    }));
  }
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web-api:3' }));
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web-api', taskDefinition: 'web-api:4', desiredCount: 2 }));
  ecs.destroy();
  return moto;
}

/** The task definition ("family:rev") and desired count the service has now, read straight from moto. */
export async function currentTaskDef(moto: Moto): Promise<{ taskDef: string; desired: number }> {
  const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web-api'] }));
  ecs.destroy();
  const s = out.services?.[0];
  return { taskDef: (s?.taskDefinition ?? '').split('/').pop() ?? '', desired: s?.desiredCount ?? -1 };
}

/** Points the service at another revision behind opsctl's back (to make a shown plan stale). */
export async function setTaskDef(moto: Moto, taskDef: string): Promise<void> {
  const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await ecs.send(new (await import('@aws-sdk/client-ecs')).UpdateServiceCommand({ cluster: 'prod', service: 'web-api', taskDefinition: taskDef }));
  ecs.destroy();
}
