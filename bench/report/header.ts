import type { BenchEnvironment } from '../lifecycle/bench-environment.ts';
import type { MachineDescription } from './machine.ts';

export function renderHeader(title: string, machine: MachineDescription, environment: BenchEnvironment, setup: string): string {
  return [
    `# ${title}`,
    '',
    `- Date: ${machine.date}`,
    `- Machine: nproc ${machine.nproc}, CPU ${machine.cpuModel}, load average at start ${machine.loadAverage}`,
    `- Node ${machine.nodeVersion}; ${environment.wrkVersion.replace(/\s*Copyright.*$/, '')}; Redis: ${environment.redisDescription}`,
    `- Packages: ${machine.packages}`,
    `- Setup: ${setup}`,
  ].join('\n');
}
