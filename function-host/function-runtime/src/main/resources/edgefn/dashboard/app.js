// edgefn dashboard: renders the host's /status snapshots, which arrive as server-sent events once a
// second. Plain JavaScript and inline SVG, no library: the page must work on a gateway without
// internet. Every value from the host goes into the page as text (textContent), never as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const SPARK_POINTS = 120; // two minutes of buffer depth at one snapshot a second
const bufferDepths = [];
let previous = null; // the last snapshot and when it came, for rates

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function stateClass(state) {
  const s = String(state || '').toUpperCase();
  if (s === 'RUNNING' || s === 'CONNECTED' || s === 'UP' || s === 'ONLINE') return 'pill pill-ok';
  if (s === 'FAILED' || s === 'DOWN' || s === 'DISCONNECTED' || s === 'STOPPED') return 'pill pill-bad';
  return 'pill pill-warn';
}

function shorten(text, max) {
  const t = String(text);
  return t.length <= max ? t : t.slice(0, 8) + '…' + t.slice(t.length - (max - 9));
}

// A route source in words: a module's output as "module › output", the catch-alls named.
function sourceLabel(source) {
  if (source === '/messages/') return 'every message (/messages/)';
  if (source === '/messages/modules/') return 'every module output';
  const m = /^\/messages\/modules\/([^/]+)\/outputs\/([^/]+)\/?$/.exec(source);
  return m ? `${m[1]} › ${m[2]}` : source;
}

function renderHeader(s) {
  const d = s.deployment ? `deployment ${s.deployment.version || '(no version)'} · ${s.deployment.state}`
    : (s.deploymentVersion ? `deployment ${s.deploymentVersion}` : 'deployment without a version');
  document.getElementById('deployment').textContent = d;
  const link = document.getElementById('link');
  link.textContent = 'live';
  link.className = 'pill pill-ok';
}

function renderFunctions(s, seconds) {
  const body = document.querySelector('#functions tbody');
  body.replaceChildren();
  const before = previous && previous.status.functions ? previous.status.functions : {};
  for (const [name, f] of Object.entries(s.functions || {})) {
    const was = before[name];
    const rate = was && seconds > 0 ? Math.max(0, (f.invocations - was.invocations) / seconds) : 0;
    const p99 = f.durations && f.durations.p99Millis !== undefined ? f.durations.p99Millis : '';
    const row = el('tr', {'data-function': name},
      el('td', {class: 'name'}, name),
      el('td', {}, el('span', {class: stateClass(f.state)}, f.state)),
      el('td', {class: 'num invocations'}, f.invocations),
      el('td', {class: 'num rate'}, rate.toFixed(1)),
      el('td', {class: 'num failures' + (f.failures > 0 ? ' fails' : '')}, f.failures),
      el('td', {class: 'num'}, f.deadLettered),
      el('td', {class: 'num'}, p99));
    body.append(row);
  }
  if (!body.children.length) body.append(el('tr', {}, el('td', {colspan: 7, class: 'muted'}, 'no functions deployed')));
}

// Source → route → sink, three columns; each route's count on its node, its edges blue while it delivers.
function renderRoutes(s, seconds) {
  const box = document.getElementById('routes');
  const routes = s.routes || Object.keys(s.messagesByRoute || {}).map(name => ({name, source: '?', sink: '?'}));
  const counts = s.messagesByRoute || {};
  const before = previous && previous.status.messagesByRoute ? previous.status.messagesByRoute : {};
  if (!routes.length) {
    box.replaceChildren(el('p', {class: 'muted'}, 'no routes'));
    return;
  }
  const sources = [...new Set(routes.map(r => r.source))];
  const sinks = [...new Set(routes.map(r => r.sink))];
  const rowH = 30;
  const height = Math.max(sources.length, routes.length, sinks.length) * rowH + 10;
  const width = 1100;
  const col = {source: 10, route: 420, sink: 760};
  const w = {source: 300, route: 230, sink: 330};
  const y = (i, n) => 5 + (height - 10) * (i + 0.5) / n;
  const graph = svg('svg', {viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': 'route graph'});
  routes.forEach((r, i) => {
    const ry = y(i, routes.length);
    const sy = y(sources.indexOf(r.source), sources.length);
    const ky = y(sinks.indexOf(r.sink), sinks.length);
    const live = (counts[r.name] || 0) > (before[r.name] || 0);
    const cls = live ? 'edge live' : 'edge';
    graph.append(svg('path', {class: cls, d: `M${col.source + w.source},${sy} C${col.route - 50},${sy} ${col.source + w.source + 50},${ry} ${col.route},${ry}`}));
    graph.append(svg('path', {class: cls, d: `M${col.route + w.route},${ry} C${col.sink - 50},${ry} ${col.route + w.route + 50},${ky} ${col.sink},${ky}`}));
  });
  sources.forEach((src, i) => {
    const sy = y(i, sources.length);
    graph.append(svg('rect', {class: 'node', x: col.source, y: sy - 11, width: w.source, height: 22, rx: 4}));
    const t = svg('text', {x: col.source + 6, y: sy + 4}, shorten(sourceLabel(src), 44));
    t.append(svg('title', {}, src));
    graph.append(t);
  });
  routes.forEach((r, i) => {
    const ry = y(i, routes.length);
    const g = svg('g', {'data-route': r.name});
    g.append(svg('rect', {class: 'route', x: col.route, y: ry - 11, width: w.route, height: 22, rx: 11}));
    g.append(svg('text', {x: col.route + 10, y: ry + 4}, shorten(r.name, 22)));
    g.append(svg('text', {class: 'count route-count', x: col.route + w.route - 8, y: ry + 4, 'text-anchor': 'end'}, counts[r.name] || 0));
    graph.append(g);
  });
  sinks.forEach((sink, i) => {
    const ky = y(i, sinks.length);
    graph.append(svg('rect', {class: 'node', x: col.sink, y: ky - 11, width: w.sink, height: 22, rx: 4}));
    const t = svg('text', {x: col.sink + 6, y: ky + 4}, shorten(sink, 48));
    t.append(svg('title', {}, sink));
    graph.append(t);
  });
  box.replaceChildren(graph);
}

function renderDevices(s) {
  const box = document.getElementById('devices');
  const links = s.deviceLinks;
  const names = links ? Object.keys(links) : Object.keys(s.devices || {});
  if (!names.length) {
    box.replaceChildren(el('p', {class: 'muted'}, 'no devices'));
    return;
  }
  const items = names.map(name => {
    const link = links ? links[name] : null;
    const state = link ? link.state : s.devices[name];
    const item = el('div', {class: 'device', 'data-device': name},
      el('strong', {}, name), ' ', el('span', {class: stateClass(state)}, state));
    if (link) {
      const lat = link.commandLatency || {};
      item.append(el('div', {class: 'muted small'},
        `frames in ${link.framesIn ?? 0} · out ${link.framesOut ?? 0} · bad ${link.badFrames ?? 0}` +
        (lat.count ? ` · commands ${lat.count}, p50 ${lat.p50Millis} ms, p99 ${lat.p99Millis} ms` : '')));
      const frames = el('ul', {class: 'frames'});
      for (const f of (link.lastFrames || []).slice(-8).reverse()) {
        frames.append(el('li', {}, `${String(f.at || '').slice(11, 23)} ${f.direction === 'in' || f.direction === 'IN' ? '←' : '→'} ${f.type} ${f.summary || ''}`));
      }
      if (frames.children.length) item.append(frames);
    }
    return item;
  });
  box.replaceChildren(...items);
}

function bufferDepth(s) {
  if (s.buffer && Array.isArray(s.buffer.cursors) && s.buffer.cursors.length) {
    return s.buffer.cursors.reduce((sum, c) => sum + (c.depth || 0), 0);
  }
  return s.upstreamHeld || 0;
}

function renderBuffer(s) {
  const depth = bufferDepth(s);
  bufferDepths.push(depth);
  if (bufferDepths.length > SPARK_POINTS) bufferDepths.shift();
  const width = 400, height = 80;
  const max = Math.max(1, ...bufferDepths);
  // Spread over the width until the window is full, then scrolling left.
  const step = width / Math.max(1, bufferDepths.length - 1);
  const start = bufferDepths.length > 1 ? 0 : width;
  const points = bufferDepths.map((d, i) => `${(start + i * step).toFixed(1)},${(height - 4 - (height - 8) * d / max).toFixed(1)}`);
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, width: '100%', height, role: 'img', 'aria-label': 'buffer depth'});
  if (points.length > 1) {
    chart.append(svg('polygon', {class: 'spark-area', points: `${start},${height} ${points.join(' ')} ${width},${height}`}));
    chart.append(svg('polyline', {class: 'spark', points: points.join(' ')}));
  }
  const oldest = s.upstreamOldestAgeMillis || 0;
  document.getElementById('buffer').replaceChildren(chart,
    el('div', {class: 'small'}, el('strong', {id: 'buffer-depth'}, depth), ` message(s) held · ${s.bufferBytes || 0} bytes on disk · oldest ${(oldest / 1000).toFixed(1)} s · peak ${max}`));
}

function renderLoop(s) {
  const box = document.getElementById('loop');
  const loop = s.loop;
  if (!loop || !loop.count) {
    box.replaceChildren(el('p', {class: 'muted'}, 'no loop data yet'));
    return;
  }
  const buckets = loop.buckets || [];
  const width = 400, height = 110, base = 90;
  const max = Math.max(1, ...buckets.map(b => b.count));
  const bw = buckets.length ? width / buckets.length : width;
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': 'loop latency histogram'});
  buckets.forEach((b, i) => {
    const h = (base - 10) * b.count / max;
    chart.append(svg('rect', {class: 'bar', x: i * bw + 2, y: base - h, width: Math.max(1, bw - 4), height: h}));
    chart.append(svg('text', {x: i * bw + bw / 2, y: base + 14, 'text-anchor': 'middle'}, '≤' + b.leMillis));
  });
  box.replaceChildren(chart, el('div', {class: 'small'},
    `${loop.count} loop(s) · p50 ${loop.p50Millis} ms · p99 ${loop.p99Millis} ms · max ${loop.maxMillis} ms (bucket bounds in ms)`));
}

function renderProblems(s) {
  const list = document.getElementById('problems');
  const problems = s.recentProblems || [];
  if (!problems.length) {
    list.replaceChildren(el('li', {class: 'muted'}, 'none'));
    return;
  }
  list.replaceChildren(...problems.map(p => el('li', {},
    el('span', {class: 'kind ' + p.kind}, p.kind === 'DEAD_LETTER' ? 'DEAD LETTER' : 'ERROR'),
    el('span', {class: 'muted'}, `${String(p.at).slice(11, 19)} ${p.function}: `), p.message)));
}

function render(status) {
  const now = performance.now();
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  renderHeader(status);
  renderFunctions(status, seconds);
  renderRoutes(status, seconds);
  renderDevices(status);
  renderBuffer(status);
  renderLoop(status);
  renderProblems(status);
  previous = {status, at: now};
  document.body.dataset.snapshots = String(Number(document.body.dataset.snapshots || 0) + 1);
}

function connect() {
  const events = new EventSource('/dashboard/events');
  events.onmessage = e => render(JSON.parse(e.data));
  events.addEventListener('expired', () => {
    events.close();
    const link = document.getElementById('link');
    link.textContent = 'session expired: run edgefn dashboard for a new link';
    link.className = 'pill pill-bad';
  });
  events.onerror = () => {
    const link = document.getElementById('link');
    if (link.className !== 'pill pill-bad') {
      link.textContent = 'reconnecting';
      link.className = 'pill pill-wait';
    }
  };
}

document.addEventListener('DOMContentLoaded', connect);
