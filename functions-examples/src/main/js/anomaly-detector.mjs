// The pump scenario's anomaly detector in JavaScript: the same scoring as the Java
// AnomalyDetector (io.edgefn.examples.pump), for `edgefn demo --js`. Per pump it learns the normal
// pressure as an exponentially weighted mean and variance, and flags an anomaly when a reading is
// beyond the hard limit, or `consecutive` readings in a row are more than `zThreshold` learned
// standard deviations above normal or rise faster than `slopeLimit` bar/s (the slope counting
// only over a window spanning at least `minSlopeSpanMillis`). After flagging it stays quiet for
// that pump until the pump reports `pump-restarted`.

export const edgefn = {
  name: "anomaly-detector",
  timeoutMillis: 2000,
  outputs: ["anomalies"],
  triggers: [
    {route: "aggregates", handler: "onAggregate", output: "anomalies"},
    {route: "events", handler: "onPumpEvent"},
  ],
};

// One invocation at a time (maxConcurrency 1, one context), so the models need no lock; they
// live as long as the function's context (a restart, or a cancelled invocation, relearns).
const models = new Map();

export function onAggregate(message, ctx) {
  const a = message.body;
  const s = ctx.settings;
  let model = models.get(a.deviceId);
  if (model === undefined) {
    model = newModel();
    models.set(a.deviceId, model);
  }
  return score(model, a, ctx.now(), {
    hardLimit: s.hardLimit ?? 180,
    zThreshold: s.zThreshold ?? 5,
    consecutive: Math.trunc(s.consecutive ?? 5),
    slopeLimit: s.slopeLimit ?? 2,
    alpha: s.alpha ?? 0.005,
    warmup: Math.trunc(s.warmup ?? 40),
    minSlopeSpanMillis: s.minSlopeSpanMillis ?? 500,
  });
}

export function onPumpEvent(message, ctx) {
  const deviceId = message.systemProperties.connectionDeviceId;
  if (message.body?.name === "pump-restarted" && deviceId != null) {
    models.delete(deviceId);
    ctx.log.info("re-armed anomaly detection for " + deviceId);
  }
}

function newModel() {
  return {mean: 0, variance: 0, learned: 0, zRun: 0, slopeRun: 0, tripped: false};
}

function score(m, a, now, k) {
  if (m.tripped) {
    return null;
  }
  const p = a.pressure;
  if (p > k.hardLimit) {
    return trip(m, a, now, "hard-limit", zScore(m, p), k.consecutive);
  }
  if (m.learned < k.warmup) {
    learn(m, p, m.learned === 0 ? 1 : 1.0 / (m.learned + 1));
    return null;
  }
  const z = zScore(m, p);
  m.zRun = z > k.zThreshold ? m.zRun + 1 : 0;
  // A slope fitted over readings that arrived bunched up spans too little time to mean anything.
  const slopeMeaningful = a.count >= Math.trunc(k.warmup / 2) && a.spanMillis >= k.minSlopeSpanMillis;
  m.slopeRun = slopeMeaningful && a.pressureSlope > k.slopeLimit ? m.slopeRun + 1 : 0;
  if (m.zRun >= k.consecutive) {
    return trip(m, a, now, "z-score", z, m.zRun);
  }
  if (m.slopeRun >= k.consecutive) {
    return trip(m, a, now, "slope", z, m.slopeRun);
  }
  if (m.zRun === 0 && m.slopeRun === 0) {
    learn(m, p, k.alpha);
  }
  return null;
}

function zScore(m, p) {
  // A floor on sigma keeps a very quiet sensor from turning noise into anomalies.
  const sigma = Math.max(Math.sqrt(m.variance), 0.5);
  return (p - m.mean) / sigma;
}

function learn(m, p, weight) {
  const delta = p - m.mean;
  m.mean += weight * delta;
  m.variance = (1 - weight) * (m.variance + weight * delta * delta);
  m.learned++;
}

function trip(m, a, now, reason, z, run) {
  m.tripped = true;
  return {
    deviceId: a.deviceId, detectedAt: now, reason: reason, pressure: a.pressure, baseline: m.mean,
    zScore: z, slope: a.pressureSlope, consecutive: run,
  };
}
