/**
 * Every log line an operator acts on carries an `event` from this table: its level, when it is logged, and the
 * fields it carries besides the common ones (`level`, `time`, `msg`, `service`, `component`; and on copy lines the
 * job's ids: `account` (for an account other than the service's own), `policy`, `fileSystemId`, `sourceBackupId`,
 * `sourceRegion`, `destinationRegion`, `jobId`, `attempt`).
 * The README's log events table is this table, kept in step by a test in both directions; `logEvent` (src/log.ts)
 * is the only way to log one, so a name or a field missing here does not compile.
 */
export interface LogEventSpec {
  readonly level: 'fatal' | 'error' | 'warn' | 'info';
  readonly when: string;
  readonly fields: readonly string[];
}

const ERROR = ['errorName', 'errorMessage'] as const;
const RPO_FIELDS = [
  'policy',
  'fileSystemId',
  'destinationRegion',
  'rpoSeconds',
  'ageSeconds',
  'sourceBackupId',
  'destinationBackupId',
] as const;
const SUCCESS_FIELDS = ['destinationBackupId', 'durationMs', 'sizeInBytes', 'reusedExistingCopy'] as const;
const FAILURE_FIELDS = [...SUCCESS_FIELDS, ...ERROR] as const;
/** The pair of a retention line: the account and Regions, the file system, and the policies that cover it. */
const PAIR_FIELDS = ['account', 'policy', 'fileSystemId', 'sourceRegion', 'destinationRegion'] as const;
/** A retention decision about one copy: the copy (`backupId`), its pair and source, and the rule evaluation. */
const DECISION_FIELDS = [
  'backupId',
  ...PAIR_FIELDS,
  'sourceBackupId',
  'recoveryPoint',
  'why',
  'rules',
  'keeperBackupId',
] as const;

export const LOG_EVENTS = {
  'copy.succeeded': {
    level: 'info',
    when: 'A copy ended AVAILABLE in the destination: its outcome is recorded.',
    fields: SUCCESS_FIELDS,
  },
  'copy.failed': {
    level: 'error',
    when: 'A copy ended without a usable copy (FAILED, deleted, a permanent error, an unreadable job): recorded.',
    fields: FAILURE_FIELDS,
  },
  'copy.expired': {
    level: 'error',
    when: 'A started copy was still in progress at its completion deadline: recorded as `expired`.',
    fields: FAILURE_FIELDS,
  },
  'copy.retry': {
    level: 'warn',
    when: 'A retry is scheduled (`reason`), or the destination Region is full and its queue pauses (`limit`).',
    fields: [...ERROR, 'delayMs', 'reason', 'limit'],
  },
  'copy.started': {
    level: 'info',
    when: 'CopyBackup answered: the copy runs in FSx, and its id is checkpointed in the job.',
    fields: ['destinationBackupId'],
  },
  'copy.attached': {
    level: 'info',
    when: 'A copy of the source already in the destination is followed instead of starting another.',
    fields: ['destinationBackupId', 'lifecycle'],
  },
  'copy.handed_back': {
    level: 'info',
    when: 'Shutdown returned the copy to the front of its queue, checkpoint kept: it resumes elsewhere.',
    fields: [],
  },
  'copy.skipped': {
    level: 'info',
    when: 'The copy was already made and recorded by an earlier job: nothing to do.',
    fields: ['destinationBackupId'],
  },
  'copy.poll_error': {
    level: 'warn',
    when: 'Checking an in-flight copy failed transiently; polling goes on until the completion deadline.',
    fields: ERROR,
  },
  'schedule.fired': {
    level: 'info',
    when: 'A slot fired (`catchUp` when it makes up for downtime): its plan job is queued.',
    fields: ['policy', 'slot', 'catchUp'],
  },
  'schedule.planned': {
    level: 'info',
    when: 'A slot was planned: copy jobs enqueued.',
    fields: ['account', 'fileSystems', 'backupsListed', 'planned', 'enqueued', 'alreadyCopied'],
  },
  'schedule.plan_retry': {
    level: 'warn',
    when: 'Planning a slot failed (listing the source, say); it is tried 5 times in all.',
    fields: ['policy', 'slot', 'attempt', ...ERROR],
  },
  'schedule.plan_failed': {
    level: 'error',
    when: 'Planning a slot failed 5 times: given up until the next slot.',
    fields: ['policy', 'slot', 'attempt', ...ERROR],
  },
  'schedule.policy_gone': {
    level: 'warn',
    when: 'A slot was fired for a policy a reload has since removed: nothing is planned.',
    fields: ['policy'],
  },
  'schedule.tick_failed': {
    level: 'error',
    when: 'The scheduler could not read or fire its slots (Redis unreachable, say); it looks again in 1 s.',
    fields: ERROR,
  },
  'scheduler.started': {
    level: 'info',
    when: 'The scheduler of this process started.',
    fields: ['policies'],
  },
  'plan.skipped': {
    level: 'warn',
    when: 'A file system has no backup to copy, or cannot be copied (ONTAP, Lustre scratch or S3-linked, OpenZFS on Intelligent-Tiering: `reason`).',
    fields: ['account', 'fileSystemId', 'fileSystemType', 'sourceBackupId', 'reason'],
  },
  'plan.selector_empty': {
    level: 'warn',
    when: 'A policy’s selector matched no file system that can be copied at this slot (once per slot).',
    fields: ['account', 'selector', 'leftOut'],
  },
  'plan.account_failed': {
    level: 'error',
    when: 'The slot’s account role could not be assumed (`errorName` is STS’s, e.g. AccessDenied): nothing of this policy is planned this slot; other accounts go on.',
    fields: ['account', 'roleArn', ...ERROR],
  },
  'redis.unavailable': {
    level: 'warn',
    when: 'Redis went away: logged once per outage, while the connection retries.',
    fields: ['redis', 'connection', ...ERROR],
  },
  'redis.ready': {
    level: 'info',
    when: 'Redis is reachable again.',
    fields: ['redis', 'connection'],
  },
  'redis.failover': {
    level: 'warn',
    when: 'The node serving the service’s keys changed (a promotion); once per failover per process.',
    fields: ['topology', 'from', 'to', 'connection', 'reason', 'tookMs'],
  },
  'rpo.breach': {
    level: 'error',
    when: 'A file system’s newest copy in a destination got older than the policy’s `rpo` (or none came in time).',
    fields: RPO_FIELDS,
  },
  'rpo.recovered': {
    level: 'info',
    when: 'A breached pair has a recent enough copy again.',
    fields: RPO_FIELDS,
  },
  'rpo.check_failed': {
    level: 'warn',
    when: 'An RPO check could not read what it needs (Redis unreachable, say); the next check tries again.',
    fields: ERROR,
  },
  'config.reloaded': {
    level: 'info',
    when: 'SIGHUP: the new config runs.',
    fields: ['files', 'added', 'removed', 'changed', 'settingsChanged'],
  },
  'config.reload_rejected': {
    level: 'error',
    when: 'SIGHUP: the new config was refused (`issues` with file, line, column, field); the last good one runs.',
    fields: ['issues', 'keptFiles'],
  },
  'worker.started': {
    level: 'info',
    when: 'Copy workers started, one per destination Region and account (`regions`: the Region, or `account.region` for an account other than the service’s own).',
    fields: ['regions', 'maxInFlightPerRegion'],
  },
  'worker.updated': {
    level: 'info',
    when: 'A reload added Regions (or accounts) or changed `maxInFlightPerRegion`.',
    fields: ['added', 'maxInFlightPerRegion'],
  },
  'worker.stalled': {
    level: 'error',
    when: 'A worker took no job while its queue had work waiting and a slot free: `/healthz` fails from now on.',
    fields: ['queue', 'waiting', 'forMs'],
  },
  'worker.error': {
    level: 'error',
    when: 'A BullMQ worker reported an error (name and message only).',
    fields: ['account', 'destinationRegion', ...ERROR],
  },
  'queue.error': {
    level: 'error',
    when: 'A BullMQ queue reported an error, or could not be closed at shutdown (name and message only).',
    fields: ERROR,
  },
  'outcome.record_failed': {
    level: 'error',
    when: 'An outcome could not be written to Redis (the job is then retried or stalls, and is recorded later).',
    fields: ['jobId', ...ERROR],
  },
  'http.listening': {
    level: 'info',
    when: 'The health and metrics port listens.',
    fields: ['port', 'host'],
  },
  'http.listen_failed': {
    level: 'fatal',
    when: 'The health and metrics port is taken: the process exits 1.',
    fields: ['port', 'host', ...ERROR],
  },
  'service.starting': {
    level: 'info',
    when: 'The process starts `run`.',
    fields: ['role', 'redis', 'topology', 'prefix', 'files', 'policies'],
  },
  'service.stopping': {
    level: 'info',
    when: 'SIGTERM or SIGINT: active copies are handed back.',
    fields: ['signal'],
  },
  'service.stop_timeout': {
    level: 'error',
    when: 'Shutdown did not finish within 9 s (e.g. Redis unreachable): the process exits 1.',
    fields: ['limitMs'],
  },
  'service.stopped': {
    level: 'info',
    when: 'The process stopped cleanly.',
    fields: ['tookMs'],
  },
  'retention.deleted': {
    level: 'info',
    when: 'Retention deleted a copy: every guard held at its re-read, and DeleteBackup took effect.',
    fields: DECISION_FIELDS,
  },
  'retention.would_delete': {
    level: 'info',
    when: 'A dry run (`dryRun: true`) would delete this copy; no DeleteBackup is sent.',
    fields: [...DECISION_FIELDS, 'dryRun'],
  },
  'retention.skipped': {
    level: 'info',
    when: 'A copy decided on is kept after all: a guard held when it was re-read right before DeleteBackup.',
    fields: [...DECISION_FIELDS, 'guard', 'referencedBy'],
  },
  'retention.failed': {
    level: 'error',
    when: 'DeleteBackup failed (AccessDenied, a bad request), or a busy copy stayed busy past the retries: recorded.',
    fields: [...DECISION_FIELDS, ...ERROR],
  },
  'retention.retry': {
    level: 'warn',
    when: 'A deletion will be tried again: the copy is busy (BackupBeingCopied, BackupRestoring, ...) or FSx faulted.',
    fields: ['backupId', ...PAIR_FIELDS, 'sourceBackupId', ...ERROR, 'delayMs'],
  },
  'retention.swept': {
    level: 'info',
    when: 'A sweep of one Region ended (`full`, or the `pairs` whose copies just succeeded): what it decided.',
    fields: [
      'kind',
      'pairs',
      'serviceCopies',
      'candidates',
      'deletions',
      'enqueued',
      'wouldDelete',
      'deferred',
      'referenced',
      'ignored',
      'dryRun',
    ],
  },
  'retention.sweep_failed': {
    level: 'error',
    when: 'A sweep failed (listing the Region, say); BullMQ tries it again, and the next interval sweeps anyway.',
    fields: ['account', 'destinationRegion', 'jobId', 'attempt', ...ERROR],
  },
  'retention.started': {
    level: 'info',
    when: 'Retention workers started, one per (account, destination Region).',
    fields: ['scopes'],
  },
  'retention.trigger_failed': {
    level: 'error',
    when: 'A sweep could not be asked for (Redis unreachable, say); the next interval’s full sweep covers it.',
    fields: ['account', 'fileSystemId', 'sourceRegion', 'destinationRegion', ...ERROR],
  },
} as const satisfies Record<string, LogEventSpec>;

export type LogEventName = keyof typeof LOG_EVENTS;

type FieldName<N extends LogEventName> = (typeof LOG_EVENTS)[N]['fields'][number];

/** The fields an event may carry: a field the table does not list for it does not compile. */
export type LogEventFields<N extends LogEventName> = [FieldName<N>] extends [never]
  ? Record<string, never>
  : { readonly [K in FieldName<N>]?: unknown };
