/** A metric family in the Prometheus text exposition format. */
export type Metric = { name: string; help: string; type: 'counter' | 'gauge'; value: number };

export function prometheusText(metrics: Metric[]): string {
  return metrics.map((m) => `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n${m.name} ${m.value}\n`).join('');
}
