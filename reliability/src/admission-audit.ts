/** A CopyBackup request as the simulator recorded it. */
export interface CopyRequestFact {
  readonly time: number;
  readonly region: string;
  readonly token: string | undefined;
  /** The service's own copies in progress in the Region when the request arrived. */
  readonly inFlightService: number;
}

/** A copy the simulator made, bound to the token of the request that made it (see `SimHooks`). */
export interface CopyBinding {
  readonly destinationRegion: string;
  readonly token: string | undefined;
  readonly start: number;
}

export interface RegionPeak {
  readonly region: string;
  readonly service: number;
  readonly total: number;
}

export interface AdmissionAudit {
  /** CopyBackup requests that arrived while the service already had `limit` copies in progress there. */
  readonly sentAtLimit: number;
  /** Of those, retries of a request whose copy already existed: FSx answers them from the token, no new slot. */
  readonly replaysOfExistingCopy: number;
  /** The rest: requests for a slot beyond the limit. */
  readonly overAdmissions: number;
  readonly peaks: readonly RegionPeak[];
  /** True when a Region ever held more than `limit` of the service's own copies at once. */
  readonly peakOverLimit: boolean;
}

/**
 * Over-admission, from the simulator's records: a CopyBackup that arrived while `limit` (5) of the service's own
 * copies were already in progress in that Region (`inFlightAtArrival.service >= 5`) asks for a sixth slot, unless
 * its ClientRequestToken had already made a copy before it arrived (then it is a retry of that copy, which FSx
 * answers with the existing copy and which needs no slot). Both numbers are reported; only the second fails a run.
 */
export function auditAdmission(
  requests: readonly CopyRequestFact[],
  bindings: readonly CopyBinding[],
  peaks: readonly RegionPeak[],
  limit: number,
): AdmissionAudit {
  const made = new Map<string, number>();
  for (const b of bindings) {
    if (b.token === undefined) continue;
    const k = `${b.destinationRegion}|${b.token}`;
    made.set(k, Math.min(made.get(k) ?? Infinity, b.start));
  }
  const atLimit = requests.filter((r) => r.inFlightService >= limit);
  const replays = atLimit.filter((r) => {
    const start = r.token === undefined ? undefined : made.get(`${r.region}|${r.token}`);
    return start !== undefined && start <= r.time;
  });
  return {
    sentAtLimit: atLimit.length,
    replaysOfExistingCopy: replays.length,
    overAdmissions: atLimit.length - replays.length,
    peaks,
    peakOverLimit: peaks.some((p) => p.service > limit),
  };
}
