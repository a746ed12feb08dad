/**
 * batch/v1 printers: jobs (NAME STATUS COMPLETIONS DURATION AGE; wide CONTAINERS IMAGES SELECTOR)
 * and cronjobs (NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; wide …), as printJob and
 * printCronJob in pkg/printers/internalversion/printers.go (Kubernetes 1.32).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import {
  boolPtr, containerCells, formatLabelSelector, humanDuration, parseTime, since,
  type ContainerLike, type LabelSelectorLike,
} from './format.js';

interface JobSpecLike {
  completions?: number | null;
  parallelism?: number | null;
  selector?: LabelSelectorLike;
  template?: { spec?: { containers?: ContainerLike[] } };
}

interface JobLike extends KubeObject {
  spec?: JobSpecLike;
  status?: {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

interface CronJobLike extends KubeObject {
  spec?: { schedule?: string; timeZone?: string | null; suspend?: boolean | null; jobTemplate?: { spec?: JobSpecLike } };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

/** printers.go hasJobCondition: the first condition of the type decides. */
function hasJobCondition(job: JobLike, type: string): boolean {
  for (const c of job.status?.conditions ?? []) if (c.type === type) return c.status === 'True';
  return false;
}

function jobStatus(job: JobLike): string {
  if (hasJobCondition(job, 'Complete')) return 'Complete';
  if (hasJobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(job, 'Suspended')) return 'Suspended';
  if (hasJobCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Status', 'string', 'Status of the job.'),
    docCol('Completions', 'string', 'batch/v1 JobStatus.succeeded'),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'batch/v1 JobSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const job = obj as JobLike;
    const spec = job.spec ?? {};
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (typeof spec.completions === 'number') {
      completions = `${succeeded}/${spec.completions}`;
    } else {
      const parallelism = spec.parallelism ?? 0;
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    let duration = '';
    const start = parseTime(job.status?.startTime);
    if (start !== undefined) {
      const end = parseTime(job.status?.completionTime);
      duration = humanDuration((end ?? ctx.now.getTime()) - start);
    }
    const [names, images] = containerCells(spec.template?.spec?.containers);
    return [
      nameOf(job), jobStatus(job), completions, duration, ageOf(job, ctx),
      names, images, formatLabelSelector(spec.selector),
    ];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Schedule', 'string', 'batch/v1beta1 CronJobSpec.schedule'),
    docCol('Timezone', 'string', 'batch/v1beta1 CronJobSpec.timeZone'),
    docCol('Suspend', 'boolean', 'batch/v1beta1 CronJobSpec.suspend'),
    docCol('Active', 'integer', 'batch/v1beta1 CronJobStatus.active'),
    docCol('Last Schedule', 'string', 'batch/v1beta1 CronJobStatus.lastScheduleTime'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'batch/v1 JobSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const cj = obj as CronJobLike;
    const spec = cj.spec ?? {};
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, ctx.now) : '<none>';
    const jobSpec = spec.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jobSpec.template?.spec?.containers);
    return [
      nameOf(cj), spec.schedule ?? '', spec.timeZone ?? '<none>', boolPtr(spec.suspend), cj.status?.active?.length ?? 0,
      last, ageOf(cj, ctx), names, images, formatLabelSelector(jobSpec.selector),
    ];
  },
};
