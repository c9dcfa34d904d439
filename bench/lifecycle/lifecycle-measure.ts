import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { summarize, type LifecycleClient, type Summary } from './lifecycle-client.ts';

/** The two measurements of the lifecycle benchmark, and the CPU they cost. */

export type Cpu = { serverPct: number; loadgenPct: number };

export type CreateResult = {
  clients: number;
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: Summary;
  cpu: Cpu;
};

export type AckResult = {
  promotions: number;
  /** approve sent → all three channels ACKNOWLEDGED (seen on the subscription). */
  approvalToAllAcknowledgedMs: Summary;
  /** publishToChannels answered → all ACKNOWLEDGED: the dispatcher's part. */
  publishedToAllAcknowledgedMs: Summary;
  approveMs: Summary;
  publishMs: Summary;
  cpu: Cpu;
};

async function childCpuMicros(child: ChildProcess): Promise<number> {
  child.send({ type: 'cpu' });
  for (;;) {
    const [message] = (await once(child, 'message')) as [{ type: string; usage: NodeJS.CpuUsage }];
    if (message.type === 'cpu') return message.usage.user + message.usage.system;
  }
}

/** Runs `work`, returning its wall seconds and the CPU % of the server child and of this process. */
async function withCpu<T>(child: ChildProcess, work: () => Promise<T>) {
  const server0 = await childCpuMicros(child);
  const local0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const local = process.cpuUsage(local0);
  const server = (await childCpuMicros(child)) - server0;
  const pct = (micros: number) => Math.round(micros / 1e4 / seconds);
  return {
    result,
    seconds,
    cpu: { serverPct: pct(server), loadgenPct: pct(local.user + local.system) },
  };
}

/** `requests` createPromotionDraft calls from `clients` closed-loop clients. */
export async function measureCreates(
  client: LifecycleClient,
  child: ChildProcess,
  requests: number,
  clients: number,
  firstN: number,
): Promise<CreateResult> {
  const samples: number[] = [];
  let next = 0;
  const loop = async () => {
    while (next < requests) {
      const n = firstN + next++;
      const t0 = performance.now();
      await client.create(n);
      samples.push(performance.now() - t0);
    }
  };
  const { seconds, cpu } = await withCpu(child, () =>
    Promise.all(Array.from({ length: clients }, loop)),
  );
  return {
    clients,
    requests,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round((requests / seconds) * 10) / 10,
    latencyMs: summarize(samples),
    cpu,
  };
}

/**
 * For each promotion in turn (channels healthy, nothing else running): create and submit
 * (untimed), subscribe, then time approve → publishToChannels (3 channels) → all ACKNOWLEDGED.
 */
export async function measureApprovalToAck(
  client: LifecycleClient,
  child: ChildProcess,
  promotions: number,
  firstN: number,
): Promise<AckResult> {
  const total: number[] = [];
  const dispatch: number[] = [];
  const approve: number[] = [];
  const publish: number[] = [];
  const { cpu } = await withCpu(child, async () => {
    for (let i = 0; i < promotions; i++) {
      const { id } = await client.create(firstN + i);
      const cursor = await client.submit(id);
      const acknowledged = client.allAcknowledged(id, cursor);
      const t0 = performance.now();
      await client.approve(id);
      const t1 = performance.now();
      await client.publish(id);
      const t2 = performance.now();
      const t3 = await acknowledged;
      total.push(t3 - t0);
      dispatch.push(t3 - t2);
      approve.push(t1 - t0);
      publish.push(t2 - t1);
    }
  });
  return {
    promotions,
    approvalToAllAcknowledgedMs: summarize(total),
    publishedToAllAcknowledgedMs: summarize(dispatch),
    approveMs: summarize(approve),
    publishMs: summarize(publish),
    cpu,
  };
}
