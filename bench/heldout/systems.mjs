// Synthetic loghub-style systems for the held-out check of `logs reduce` (bench/logs-heldout.mjs). Licence: written
// for this repository (no loghub text is included, only the general line shapes of those systems).
// None of them is in ../shared/data/loghub (BGL, HDFS, Thunderbird, Apache, OpenStack): these imitate the
// line shapes of Zookeeper, Hadoop MapReduce, Spark, Linux syslog, macOS, Android, HPC, Proxifier, OpenSSH
// and HealthApp. Every line is generated here (no public text is copied), from a seeded PRNG.

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const hex = (r, n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
const p2 = (n) => String(n).padStart(2, '0');
const clock = (i) => ({ h: p2(8 + Math.floor(i / 36000) % 12), m: p2(Math.floor(i / 600) % 60), s: p2(Math.floor(i / 10) % 60), ms: String((i * 37) % 1000).padStart(3, '0') });

/**
 * A system: `ts(i)` a timestamp prefix; `bg` weighted background lines; `session` an ordered sequence of
 * steps sharing an id; `lat` a template with a latency-like number (normal range, and an outlier value);
 * `errors` new failure lines; `burst` a line that normally is rare.
 */
export const SYSTEMS = [
  {
    name: 'Zookeeper',
    ts: (i) => { const c = clock(i); return `2015-07-29 ${c.h}:${c.m}:${c.s},${c.ms} - `; },
    bg: [
      [5, (r) => `INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory@197] - Accepted socket connection from /10.10.34.${int(r, 11, 40)}:${int(r, 30000, 60000)}`],
      [4, (r) => `INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@1001] - Closed socket connection for client /10.10.34.${int(r, 11, 40)}:${int(r, 30000, 60000)} which had sessionid 0x${hex(r, 15)}`],
      [2, (r) => `WARN  [SendWorker:${int(r, 1, 3)}:QuorumCnxManager$SendWorker@679] - Interrupted while waiting for message on queue`],
      [1, (r) => `INFO  [SyncThread:${int(r, 1, 3)}:FileTxnLog@199] - Creating new log file: log.${hex(r, 9)}`],
    ],
    session: { id: (r) => `0x${hex(r, 4)}4f1${hex(r, 9)}`, steps: [
      (id) => `INFO  [CommitProcessor:1:ZooKeeperServer@595] - Established session ${id} with negotiated timeout 10000 for client /10.10.34.13:37177`,
      (id) => `INFO  [ProcessThread(sid:1 cport:-1)::PrepRequestProcessor@476] - Processed session termination for sessionid: ${id}`,
      (id) => `INFO  [SessionTracker:SessionTrackerImpl@162] - SessionTrackerImpl exited loop! session ${id} removed`,
    ] },
    lat: { fmt: (v) => `INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Learner@325] - Getting a snapshot from leader took ${v} ms`, lo: 8, hi: 41, bad: 56648 },
    errors: ['ERROR [LearnerHandler-/10.10.34.13:45209:LearnerHandler@562] - Unexpected exception causing shutdown while sock still open', 'FATAL [QuorumPeer[myid=3]/0.0.0.0:2181:QuorumPeer@768] - Unable to load database on disk: java.io.EOFException'],
    burst: () => 'WARN  [RecvWorker:188978561024:QuorumCnxManager$RecvWorker@762] - Connection broken for id 188978561024, my id = 1, error = ',
  },
  {
    name: 'Hadoop',
    ts: (i) => { const c = clock(i); return `2015-10-18 ${c.h}:${c.m}:${c.s},${c.ms} `; },
    bg: [
      [5, (r) => `INFO [IPC Server handler ${int(r, 0, 29)} on 62270] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Progress of TaskAttempt attempt_1445144423722_0020_m_${String(int(r, 0, 12)).padStart(6, '0')}_0 is : 0.${int(r, 1, 99)}`],
      [3, (r) => `INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: After Scheduling: PendingReds:1 ScheduledMaps:${int(r, 0, 9)} ScheduledReds:0 AssignedMaps:${int(r, 1, 10)} AssignedReds:0 CompletedMaps:${int(r, 0, 10)}`],
      [1, () => `INFO [main] org.apache.hadoop.mapred.MapTask: Spilling map output`],
    ],
    session: { id: (r) => `attempt_1445144423722_0020_m_${String(int(r, 100, 999)).padStart(6, '0')}_0`, steps: [
      (id) => `INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: ${id} TaskAttempt Transitioned from NEW to UNASSIGNED`,
      (id) => `INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: ${id} TaskAttempt Transitioned from UNASSIGNED to ASSIGNED`,
      (id) => `INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: ${id} TaskAttempt Transitioned from ASSIGNED to RUNNING`,
      (id) => `INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: ${id} TaskAttempt Transitioned from RUNNING to SUCCEEDED`,
    ] },
    lat: { fmt: (v) => `INFO [main] org.apache.hadoop.mapred.Task: Task:attempt done, commit took ${v} ms`, lo: 20, hi: 90, bad: 184002 },
    errors: ['ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM.', 'WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease for [DFSClient_NONMAPREDUCE_1537864556_1] for 30 seconds.  Will retry shortly ...'],
    burst: () => 'INFO [ContainerLauncher #3] org.apache.hadoop.ipc.Client: Retrying connect to server: msra-sa-41/10.190.173.170:9000. Already tried 1 time(s); retry policy is RetryUpToMaximumCountWithFixedSleep',
  },
  {
    name: 'Spark',
    ts: (i) => { const c = clock(i); return `17/06/09 ${c.h}:${c.m}:${c.s} `; },
    bg: [
      [5, (r) => `INFO executor.Executor: Finished task ${int(r, 0, 39)}.0 in stage ${int(r, 0, 30)}.0 (TID ${int(r, 0, 2000)}). ${int(r, 900, 2400)} bytes result sent to driver`],
      [4, (r) => `INFO storage.BlockManager: Found block rdd_${int(r, 2, 40)}_${int(r, 0, 39)} locally`],
      [2, (r) => `INFO spark.CacheManager: Partition rdd_${int(r, 2, 40)}_${int(r, 0, 39)} not found, computing it`],
      [1, (r) => `INFO broadcast.TorrentBroadcast: Started reading broadcast variable ${int(r, 0, 60)}`],
    ],
    session: { id: (r) => `app-20170609${int(r, 100000, 999999)}-${String(int(r, 1, 9999)).padStart(4, '0')}`, steps: [
      (id) => `INFO cluster.CoarseGrainedSchedulerBackend: Registered executor for ${id} on mesos-slave-07`,
      (id) => `INFO scheduler.DAGScheduler: Submitting job for ${id}`,
      (id) => `INFO scheduler.DAGScheduler: Job finished for ${id}`,
    ] },
    lat: { fmt: (v) => `INFO memory.MemoryStore: Block broadcast_12 stored as values in memory, took ${v} ms`, lo: 2, hi: 25, bad: 31877 },
    errors: ['ERROR executor.CoarseGrainedExecutorBackend: RECEIVED SIGNAL 15: SIGTERM', 'WARN storage.BlockManagerMaster: Failed to remove broadcast 11 with removeFromMaster = true - Cannot receive any reply in 120 seconds'],
    burst: () => 'WARN scheduler.TaskSetManager: Lost task 7.0 in stage 3.0: ExecutorLostFailure (executor 4 exited caused by one of the running tasks)',
  },
  {
    name: 'Linux',
    ts: (i) => { const c = clock(i); return `Jun 14 ${c.h}:${c.m}:${c.s} combo `; },
    bg: [
      [4, (r) => `sshd(pam_unix)[${int(r, 1000, 30000)}]: check pass; user unknown`],
      [4, (r) => `sshd(pam_unix)[${int(r, 1000, 30000)}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${int(r, 1, 220)}.${int(r, 1, 250)}.${int(r, 1, 250)}.${int(r, 1, 250)}`],
      [2, () => `syslogd 1.4.1: restart.`],
      [2, (r) => `ftpd[${int(r, 1000, 30000)}]: connection from ${int(r, 1, 220)}.${int(r, 1, 250)}.${int(r, 1, 250)}.${int(r, 1, 250)} () at Tue Jun 14 08:${p2(int(r, 0, 59))}:09 2005`],
    ],
    session: { id: (r) => `session_${int(r, 100000, 999999)}`, steps: [
      (id) => `su(pam_unix): ${id} opened for user cyrus by (uid=0)`,
      (id) => `su(pam_unix): ${id} transferred credentials for user cyrus`,
      (id) => `su(pam_unix): ${id} closed for user cyrus`,
    ] },
    lat: { fmt: (v) => `kernel: ata1: command completed, service time ${v} ms`, lo: 1, hi: 12, bad: 9120 },
    errors: ['kernel: Out of Memory: Killed process 2592 (httpd).', 'kernel: EXT3-fs error (device hda2): ext3_journal_start_sb: Detected aborted journal'],
    burst: () => 'kernel: hda: drive_cmd: status=0x51 { DriveReady SeekComplete Error }',
  },
  {
    name: 'Mac',
    ts: (i) => { const c = clock(i); return `Jul  1 ${c.h}:${c.m}:${c.s} calvisitor-10-105-160-95 `; },
    bg: [
      [3, (r) => `kernel[0]: ARPT: ${int(r, 600000, 700000)}.${int(r, 100000, 999999)}: wl0: setup_keepalive: interval ${int(r, 100, 900)}, retry_interval ${int(r, 10, 60)}, retry_count 10`],
      [3, (r) => `com.apple.CDScheduler[${int(r, 40, 90)}]: Thermal pressure state: ${int(r, 0, 1)} Memory pressure state: 0`],
      [2, (r) => `QQ[${int(r, 10000, 11000)}]: button report: 0x${hex(r, 4)}`],
      [2, (r) => `Google Chrome Helper[${int(r, 10000, 60000)}]: Libnotify: notify_register_coalesced_registration failed with code ${int(r, 9, 9)} on line ${int(r, 2000, 3000)}`],
      [2, (r) => `symptomsd[215]: __73-[NetworkAnalyticsEngine observeValueForKeyPath:ofObject:change:context:]_block_invoke unexpected switch value ${int(r, 1, 3)}`],
      [2, (r) => `WindowServer[184]: CGXDisplayDidWakeNotification [${int(r, 100000000, 999999999)}]: posting kCGSDisplayDidWake`],
      [1, (r) => `AddressBookSourceSync[${int(r, 30000, 40000)}]: Unrecognized attribute value: t:AbchPersonItemType`],
      [1, (r) => `mDNSResponder[91]: mDNS_DeregisterInterface: Frequent transitions for interface en0 (10.105.${int(r, 160, 170)}.${int(r, 1, 250)})`],
      [1, (r) => `sharingd[30299]: ${int(r, 10, 23)}:${p2(int(r, 0, 59))}:${p2(int(r, 0, 59))}.${int(r, 100, 999)} : BTLE scanner Powered On`],
    ],
    session: { id: (r) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`, steps: [
      (id) => `com.apple.xpc.launchd[1] (com.apple.mdworker.bundles[${id}]): Service spawned`,
      (id) => `com.apple.xpc.launchd[1] (com.apple.mdworker.bundles[${id}]): Service checked in`,
      (id) => `com.apple.xpc.launchd[1] (com.apple.mdworker.bundles[${id}]): Service exited with abnormal code: 0`,
    ] },
    lat: { fmt: (v) => `kernel[0]: Wake reason: RTC (Alarm) took ${v} ms`, lo: 30, hi: 160, bad: 48211 },
    errors: ['kernel[0]: Sandbox: com.apple.Addres(35796) deny(1) network-outbound /private/var/run/mDNSResponder', 'WindowServer[184]: _CGXRemoveWindowFromWindowMovementGroup: window 0x4c is not attached to window 0x4d'],
    burst: () => 'kernel[0]: IO80211AWDLPeerManager::setAwdlAutoMode Resuming AWDL',
  },
  {
    name: 'Android',
    ts: (i) => { const c = clock(i); return `03-17 ${c.h}:${c.m}:${c.s}.${c.ms}  1702  ${int(rng(i), 1702, 2200)} `; },
    bg: [
      [5, (r) => `D PowerManagerService: acquire lock=${int(r, 10000000, 99999999)}, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10${int(r, 10, 99)}, pid=${int(r, 2000, 30000)}`],
      [4, (r) => `V WindowManager: Skipping AppWindowToken{${hex(r, 7)} token=Token{${hex(r, 7)} ActivityRecord{${hex(r, 7)} u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t${int(r, 100, 999)}}}} -- going to hide`],
      [2, (r) => `I DisplayPowerController: Blocking screen on until initial contents have been drawn. level=${int(r, 0, 255)}`],
    ],
    session: { id: (r) => `Session_${int(r, 10000, 99999)}`, steps: [
      (id) => `I ActivityManager: START u0 for ${id} from uid 10113`,
      (id) => `I ActivityManager: Displayed ${id} activity com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity`,
      (id) => `I ActivityManager: Finished ${id} and removed task`,
    ] },
    lat: { fmt: (v) => `I Choreographer: Frame rendered in ${v} ms`, lo: 4, hi: 17, bad: 7342 },
    errors: ['E AndroidRuntime: FATAL EXCEPTION: main Process: com.tencent.qt.qtl, PID: 2227', 'E ActivityManager: ANR in com.android.systemui (Reason: Input dispatching timed out)'],
    burst: () => 'W InputDispatcher: channel ~ Channel is unrecoverably broken and will be disposed!',
  },
  {
    name: 'HPC',
    ts: (i) => `${134681 + i} node-${(i * 7) % 256} `,
    bg: [
      [5, (r) => `unix.hw state_change.unavailable ${1077804742 + int(r, 0, 99999)} 1 Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID=${int(r, 1000, 9999)})`],
      [4, (r) => `action start ${1077804742 + int(r, 0, 99999)} 1 clusterAddMember  (command ${int(r, 100, 3000)})`],
      [2, (r) => `node psu ${1077804742 + int(r, 0, 99999)} 1 PSU status ( 1 0 )`],
    ],
    session: { id: (r) => `job_${int(r, 100000, 999999)}`, steps: [
      (id) => `boot_cmd new ${id} 1 Targeting domains:node-D1 and nodes:node-[40-63] child of command 2611`,
      (id) => `boot_cmd running ${id} 1 Command has started`,
      (id) => `boot_cmd success ${id} 1 Command has completed successfully`,
    ] },
    lat: { fmt: (v) => `node status 1077804742 1 heartbeat round trip ${v} ms`, lo: 1, hi: 9, bad: 4410 },
    errors: ['node temp 1084680778 1 Temperature (91C) exceeds warning threshold', 'gige7 network 1084681100 1 Link error on broadcast tree Interconnect-0T00:00:2:0'],
    burst: () => 'node-246 unix.hw net.niff.down 1077804742 1 NIFF: node node-246 detected a failed network connection on network 5.5.224.0 via interface alt0',
  },
  {
    name: 'Proxifier',
    ts: (i) => { const c = clock(i); return `[10.30 ${c.h}:${c.m}:${c.s}] `; },
    bg: [
      [5, (r) => `chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, ${int(r, 300, 3000)} bytes (${(r() * 3).toFixed(2)} KB) sent, ${int(r, 300, 9000)} bytes received, lifetime <1 sec`],
      [4, () => `chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS`],
      [2, (r) => `YodaoDict.exe - ${pick(r, ['dict.youdao.com', 'cidian.youdao.com'])}:80 close, ${int(r, 100, 900)} bytes sent, ${int(r, 100, 900)} bytes received, lifetime 00:0${int(r, 1, 9)}`],
    ],
    session: { id: (r) => `conn-${int(r, 10000, 99999)}x${int(r, 100, 999)}`, steps: [
      (id) => `Skype.exe - ${id} open through proxy proxy.cse.cuhk.edu.hk:5070 SOCKS5`,
      (id) => `Skype.exe - ${id} established`,
      (id) => `Skype.exe - ${id} close, 0 bytes sent, 0 bytes received`,
    ] },
    lat: { fmt: (v) => `chrome.exe - www.google.com:443 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS, handshake ${v} ms`, lo: 10, hi: 70, bad: 30112 },
    errors: ['chrome.exe - proxy.cse.cuhk.edu.hk:5070 error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code 403', 'Proxifier.exe - DNS resolution failed: no such host'],
    burst: () => 'chrome.exe - proxy.cse.cuhk.edu.hk:5070 error : A connection request was canceled before the completion.',
  },
  {
    name: 'OpenSSH',
    ts: (i) => { const c = clock(i); return `Dec 10 ${c.h}:${c.m}:${c.s} LabSZ `; },
    bg: [
      [5, (r) => `sshd[${int(r, 20000, 30000)}]: Invalid user ${pick(r, ['admin', 'test', 'oracle', 'guest', 'pi'])} from ${int(r, 1, 220)}.${int(r, 1, 250)}.${int(r, 1, 250)}.${int(r, 1, 250)}`],
      [4, (r) => `sshd[${int(r, 20000, 30000)}]: Received disconnect from ${int(r, 1, 220)}.${int(r, 1, 250)}.${int(r, 1, 250)}.${int(r, 1, 250)}: 11: Bye Bye [preauth]`],
      [3, (r) => `sshd[${int(r, 20000, 30000)}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${int(r, 1, 220)}.${int(r, 1, 250)}.${int(r, 1, 250)}.${int(r, 1, 250)}`],
    ],
    session: { id: (r) => `session-${hex(r, 4)}${int(r, 1000, 9999)}`, steps: [
      (id) => `sshd[24200]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2 ${id}`,
      (id) => `sshd[24200]: pam_unix(sshd:session): session opened for user fztu by (uid=0) ${id}`,
      (id) => `sshd[24200]: pam_unix(sshd:session): session closed for user fztu ${id}`,
    ] },
    lat: { fmt: (v) => `sshd[24200]: Postponed keyboard-interactive for root, auth took ${v} ms`, lo: 3, hi: 40, bad: 20877 },
    errors: ['sshd[24206]: fatal: Read from socket failed: Connection reset by peer [preauth]', 'sshd[29160]: error: Received disconnect from 103.99.0.122: 14: No more user authentication methods available. [preauth]'],
    burst: () => 'sshd[5100]: reverse mapping checking getaddrinfo for 183.62.140.253.static.gz.gd.cn [183.62.140.253] failed - POSSIBLE BREAK-IN ATTEMPT!',
  },
  {
    name: 'HealthApp',
    ts: (i) => { const c = clock(i); return `20171223-${c.h}:${c.m}:${c.s}:${c.ms}|`; },
    bg: [
      [5, (r) => `Step_LSC|30002312|onStandStepChanged ${int(r, 3000, 9000)}`],
      [4, (r) => `Step_SPUtils|30002312| getTodayTotalDetailSteps = 1514038440000##${int(r, 1000, 9000)}##${int(r, 100000, 999999)}##8661##${int(r, 10000, 30000)}##27698376`],
      [3, (r) => `Step_LSC|30002312|onExtend:1514038530000 ${int(r, 0, 30)} 0 ${int(r, 1, 4)}`],
      [2, () => `Step_StandReportReceiver|30002312|onReceive action: android.intent.action.SCREEN_ON`],
    ],
    session: { id: (r) => `sync_${int(r, 100000, 999999)}`, steps: [
      (id) => `HiH_HiSyncControl|30002312|${id} start upload`,
      (id) => `HiH_HiSyncControl|30002312|${id} upload data ok`,
      (id) => `HiH_HiSyncControl|30002312|${id} finish and release lock`,
    ] },
    lat: { fmt: (v) => `Step_ExtSDM|30002312|calculateCaloriesWithCache totalCalories time cost ${v} ms`, lo: 5, hi: 30, bad: 12870 },
    errors: ['HiH_HiHealthDataInsertStore|30002312|saveData() insert failed: database disk image is malformed', 'Step_StandStepCounter|30002312|flush sensor data exception: java.lang.IllegalStateException'],
    burst: () => 'HiH_HiBroadcastUtil|30002312|sendSyncFailedBroadcast errorCode = 3',
  },
];

/**
 * Generates `n` lines of a system with episodes injected; returns { lines, episodes: [{kind, lines:[n...]}] }
 * (1-based line numbers of the lines that show each episode). Episodes: error (a new failure line),
 * latency (the usual latency template with a value far above its range), order (a session whose two middle
 * steps come swapped), burst (30 lines of a normally rare warning within 60 lines).
 */
export function generate(sys, n, seed, perKind = 2) {
  const r = rng(seed);
  const weights = sys.bg.reduce((a, [w]) => a + w, 0);
  const body = [];
  const live = [];
  const tags = new Map(); // index in body -> episode id
  const episodes = [];
  // Plan episode positions: spread over the log, away from the start (a model needs normal lines first).
  const kinds = [];
  for (let k = 0; k < perKind; k++) kinds.push('error', 'latency', 'order', 'burst');
  const plan = kinds.map((kind, j) => [Math.floor(n * (0.2 + (0.75 * (j + r() * 0.5)) / kinds.length)), kind]);
  const tag = (ep) => tags.set(body.length, ep);
  let errorNo = 0;
  while (body.length < n) {
    const kind = plan.length > 0 && body.length >= plan[0][0] ? plan.shift()[1] : undefined;
    if (kind) {
      const ep = { kind, lines: [] };
      episodes.push(ep);
      if (kind === 'error') { tag(ep); body.push(sys.errors[errorNo++ % sys.errors.length]); }
      else if (kind === 'latency') { tag(ep); body.push(sys.lat.fmt(sys.lat.bad + int(r, 0, 999))); }
      else if (kind === 'burst') { for (let b = 0; b < 30; b++) { tag(ep); body.push(sys.burst()); if (r() < 0.5) body.push(bgLine()); } }
      else {
        const id = sys.session.id(r);
        const steps = sys.session.steps.map((f) => f(id));
        [steps[1], steps[2]] = [steps[2], steps[1]];
        live.push({ steps, next: 0, ep });
      }
      continue;
    }
    const u = r();
    if (u < 0.12 && live.length < 6) {
      const id = sys.session.id(r);
      live.push({ steps: sys.session.steps.map((f) => f(id)), next: 0 });
    }
    else if (u < 0.17) body.push(sys.lat.fmt(int(r, sys.lat.lo, sys.lat.hi)));
    else if (u < 0.22 && r() < 0.02) body.push(sys.burst());
    if (live.length > 0 && r() < 0.5) {
      const s = live[Math.floor(r() * live.length)];
      if (s.ep && s.next >= 1 && s.next <= 2) tag(s.ep);
      body.push(s.steps[s.next++]);
      if (s.next === s.steps.length) live.splice(live.indexOf(s), 1);
    }
    body.push(bgLine());
  }
  function bgLine() {
    let x = r() * weights;
    for (const [w, f] of sys.bg) { if ((x -= w) < 0) return f(r); }
    return sys.bg[0][1](r);
  }
  const lines = body.slice(0, n + 200).map((l, i) => sys.ts(i) + l);
  for (const [i, ep] of tags) if (i < lines.length) ep.lines.push(i + 1);
  return { lines, episodes: episodes.filter((e) => e.lines.length > 0) };
}
