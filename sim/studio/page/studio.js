// The studio's page: the folder's files, a journey as a map (stages as columns, touchpoint
// cards, the emotion curve), an edit panel checked as you type by the same validation as
// `cjsim validate`, future states as a list of changes on a base, and runs and comparisons
// with progress, cancel and the HTML report. Every number and message comes from the server.

const $ = (selector, root = document) => root.querySelector(selector);

// The page's one state: the open file, its text as edited, and the last check of that text.
const state = {
  file: null,      // {path, kind, etag}
  text: '',        // the text as edited (saved or not)
  saved: '',       // the text last read or saved
  check: null,     // {valid, summary, diagnostics, journey}
  lastJourney: null,  // the journey of the last valid text, drawn while the text has errors
  selected: null,  // {type: 'touchpoint'|'settings'|'persona'|'transition', index}
  job: null,
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function toast(words, bad = false) {
  const box = $('#toast');
  box.textContent = words;
  box.className = bad ? 'shown bad' : 'shown';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.className = ''; }, bad ? 8000 : 3000);
}

async function api(method, path, body) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok && response.status !== 409) {
    throw new Error((data && data.error) || `${response.status} ${response.statusText}`);
  }
  return { status: response.status, data };
}

// ---- the file list -----------------------------------------------------------------------
const KIND_TITLES = {
  journey: 'Journeys', future_state: 'Future states', experiment: 'Experiments', result: 'Results',
};

async function loadFiles() {
  const { data } = await api('GET', '/api/files');
  $('#folder').textContent = data.folder;
  const nav = $('#files');
  nav.replaceChildren();
  for (const kind of Object.keys(KIND_TITLES)) {
    const files = data.files.filter((f) => f.kind === kind);
    if (!files.length) continue;
    nav.append(el('h2', {}, KIND_TITLES[kind]));
    for (const f of files) {
      const openable = kind === 'journey' || kind === 'future_state';
      nav.append(el('button', {
        'data-path': f.path, 'data-kind': f.kind, disabled: !openable,
        class: state.file && state.file.path === f.path ? 'open' : '',
        onclick: () => openFile(f.path),
      }, f.path));
    }
  }
}

// ---- opening, checking and saving --------------------------------------------------------
// Files opened one after another load in any order: the one opened last is shown, whichever
// answer comes first.
let openSerial = 0;
async function openFile(path) {
  if (state.text !== state.saved && !confirm(`${state.file.path} has unsaved edits. Leave them?`)) return;
  const serial = ++openSerial;
  const { data } = await api('GET', `/api/file?path=${encodeURIComponent(path)}`);
  if (serial !== openSerial) return;
  // Checks and what-if comparisons of the file before are not this file's: drop their answers.
  clearTimeout(checkTimer);
  ++checkSerial;
  ++whatif.serial;
  clearTimeout(whatif.timer);
  if (whatif.job) api('DELETE', `/api/jobs/${whatif.job}`).catch(() => {});
  whatif.job = null;
  whatif.change = null;
  state.file = { path: data.path, kind: data.kind, etag: data.etag };
  state.text = state.saved = data.text;
  state.check = data;
  state.lastJourney = data.journey;
  state.selected = null;
  state.job = null;
  $('#files').classList.remove('shown');
  for (const b of document.querySelectorAll('nav#files button')) {
    b.classList.toggle('open', b.dataset.path === path);
  }
  render();
  if (state.view === 'graph') showView('graph');
}

let checkTimer = null;
let checkSerial = 0;
// The text changed: check it after a pause in typing, as `cjsim validate` would.
function edited(text) {
  state.text = text;
  renderSaveState();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkNow, 300);
}

async function checkNow() {
  const serial = ++checkSerial;
  const { data } = await api('POST', '/api/validate', { path: state.file.path, text: state.text });
  if (serial !== checkSerial) return;  // a later check is on its way
  state.check = data;
  if (data.journey) state.lastJourney = data.journey;
  renderMap();
  renderMessages();
  renderPanel();
  renderFuture();
  renderStructure();
  renderDraws();
}

async function save(force = false) {
  clearTimeout(checkTimer);
  const { status, data } = await api('PUT', '/api/file', {
    path: state.file.path, text: state.text, etag: state.file.etag, force,
  });
  if (status === 409) {
    if (confirm(`${data.error}\n\nReplace the file on disk with your version?`)) return save(true);
    return;
  }
  state.file.etag = data.etag;
  state.saved = state.text;
  renderSaveState();
  toast(`saved ${data.path}`);
  await checkNow();
  await loadFiles();
}

// ---- editing the text at the places the server reports -----------------------------------
// Replaces the value of the key written at `where` (the key's line and column) with `value`.
// Returns the new text, or null when the value is not a plain scalar there.
function replaceValueAt(text, where, key, value) {
  const lines = text.split('\n');
  const line = lines[where.line - 1];
  if (line === undefined) return null;
  const start = where.column - 1;
  const match = /^([A-Za-z_][\w]*)\s*:\s*/.exec(line.slice(start));
  if (!match || match[1] !== key) return null;
  const valueStart = start + match[0].length;
  const scalar = /^[^\s,}\]#]+/.exec(line.slice(valueStart));
  if (!scalar) return null;
  lines[where.line - 1] = line.slice(0, valueStart) + value + line.slice(valueStart + scalar[0].length);
  return lines.join('\n');
}

// Adds `key: value` to the block map whose first key is written at `where`.
function addKeyAfter(text, where, key, value) {
  const lines = text.split('\n');
  const line = lines[where.line - 1];
  if (line === undefined || line.slice(0, where.column - 1).includes('{')) return null;
  lines.splice(where.line, 0, `${' '.repeat(where.column - 1)}${key}: ${value}`);
  return lines.join('\n');
}

// ---- a future state's changes, as the server's loader reads them -------------------------
// state.check.changes: [{kind, target, fields, line, change}] for the text last checked. A new
// list goes to the server, which writes it into the text (the rest kept as it is) and checks it.
function currentChanges() { return (state.check && state.check.changes) || []; }

async function writeChanges(changes) {
  try {
    const file = state.file;
    const { data } = await api('POST', '/api/changes', { path: state.file.path, text: state.text, changes });
    if (state.file !== file) return;  // another file was opened meanwhile
    clearTimeout(checkTimer);
    ++checkSerial;  // this answer is the check of the new text
    state.text = data.text;
    state.check = data;
    if (data.journey) state.lastJourney = data.journey;
    renderSaveState();
    renderMap();
    renderMessages();
    renderPanel();
    renderFuture();
    renderStructure();
    renderWhatIf();
  } catch (e) {
    toast(String(e.message || e), true);
  }
}

function removeChange(index) {
  return writeChanges(currentChanges().filter((_, i) => i !== index).map((c) => c.change));
}

// `change` is one {KIND: VALUE} object, as the changes: list holds it.
function addChange(change) {
  return writeChanges([...currentChanges().map((c) => c.change), change]);
}

function changeText(c) {
  const fields = Object.entries(c.fields || {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
  return `${c.kind}${c.target ? ` ${c.target}` : ''}${fields ? ` (${fields})` : ''}`;
}

// ---- drawing -----------------------------------------------------------------------------
function percent(x) { return `${(100 * x).toFixed(1)}%`; }

function render() {
  const main = $('#main');
  main.replaceChildren();
  if (!state.file) return;
  const isFuture = state.file.kind === 'future_state';
  main.append(
    el('div', { class: 'toolbar' },
      el('h2', { style: 'margin:0;font-size:18px', id: 'title' }, state.file.path),
      el('button', { class: 'primary', id: 'save', onclick: () => save() }, 'Save'),
      el('span', { id: 'save-state', class: 'hint' })),
    el('p', { class: 'summary', id: 'summary' }),
    el('ul', { class: 'messages', id: 'messages' }),
    el('section', { id: 'future', hidden: !isFuture }),
    el('section', { id: 'map-section' },
      el('div', { class: 'toolbar views-switch' },
        el('h3', { style: 'margin:0' }, 'Journey'),
        el('button', { class: 'secondary', id: 'show-map', 'aria-pressed': 'true', onclick: () => showView('map') }, 'Map'),
        el('button', { class: 'secondary', id: 'show-graph', 'aria-pressed': 'false', onclick: () => showView('graph') }, 'Touchpoint graph')),
      el('div', { id: 'map-view' },
        el('div', { class: 'map', id: 'map' }),
        el('div', { class: 'chart', id: 'emotion-chart', role: 'img', 'aria-label': 'Emotion curve' })),
      el('div', { id: 'graph-view', hidden: true },
        el('div', { class: 'graph-scroll' },
          el('div', { id: 'graph', role: 'img', 'aria-label': 'Touchpoint graph' })))),
    el('details', { id: 'structure' }, el('summary', {}, 'Add or remove touchpoints, transitions and personas'),
      el('div', { id: 'structure-forms' })),
    el('section', { id: 'run-section' }),
    el('details', {}, el('summary', {}, 'Text'),
      el('textarea', { id: 'source', spellcheck: 'false', oninput: (e) => edited(e.target.value) })),
  );
  $('#source').value = state.text;
  renderSaveState();
  renderMessages();
  renderFuture();
  renderMap();
  renderStructure();
  renderRun();
  renderPanel();
}

function renderSaveState() {
  const span = $('#save-state');
  if (!span) return;
  const dirty = state.text !== state.saved;
  span.textContent = dirty ? 'unsaved edits' : 'saved';
  $('#save').disabled = !dirty;
  const source = $('#source');
  if (source && source.value !== state.text && document.activeElement !== source) source.value = state.text;
}

function renderMessages() {
  const check = state.check;
  $('#summary').textContent = check ? check.summary : '';
  $('#messages').replaceChildren(...(check ? check.diagnostics : []).map((d) =>
    el('li', { class: d.severity, 'data-line': d.line }, d.text)));
}

function renderMap() {
  const map = $('#map');
  if (!map) return;
  const journey = state.lastJourney;
  if (!journey) {
    map.replaceChildren(el('p', { class: 'hint' }, 'The map shows once the text is valid.'));
    return;
  }
  map.classList.toggle('stale', !(state.check && state.check.journey));
  const isSelected = (type, id) => state.selected && state.selected.type === type && state.selected.id === id;
  const select = (type, id) => { state.selected = { type, id }; renderMap(); renderPanel(); };
  const list = (field, items) => (items && items.length
    ? el('ul', { class: `words ${field}`, 'data-field': field }, items.map((x) => el('li', {}, x))) : null);
  map.replaceChildren(...(journey.stage_words || journey.stages.map((name) => ({ name, goals: [] }))).map((stage) => el('div', { class: 'stage', 'data-stage': stage.name },
    el('button', {
      class: `stage-head${isSelected('stage', stage.name) ? ' selected' : ''}`,
      onclick: () => select('stage', stage.name),
    }, el('h3', {}, stage.name),
    stage.description ? el('p', { class: 'words', 'data-field': 'description' }, stage.description) : null,
    list('goals', stage.goals)),
    journey.touchpoints.map((t) => t.stage !== stage.name ? null : el('button', {
      class: `card${t.emotion.mean < -0.05 ? ' pain' : t.emotion.mean > 0.3 ? ' delight' : ''}` +
        `${t.conversion ? ' conversion' : ''}${isSelected('touchpoint', t.id) ? ' selected' : ''}`,
      'data-touchpoint': t.id,
      onclick: () => select('touchpoint', t.id),
    },
    el('div', { class: 'name' }, t.name),
    el('div', { class: 'numbers' },
      el('span', {}, t.channel),
      el('span', { 'data-field': 'dropout' }, `dropout ${percent(t.dropout)}`),
      el('span', {}, `emotion ${t.emotion.mean >= 0 ? '+' : ''}${t.emotion.mean.toFixed(2)}`),
      t.cost ? el('span', {}, `cost ${t.cost}`) : null,
      t.conversion ? el('span', {}, `value ${t.value}`) : null),
    touchpointWords(t)))),
  ));
  drawEmotionCurve(journey);
  if (state.view === 'graph') drawGraph(journey);
}

// The map (stages and cards) or the touchpoint graph.
function showView(view) {
  state.view = view;
  $('#map-view').hidden = view !== 'map';
  $('#graph-view').hidden = view !== 'graph';
  $('#show-map').setAttribute('aria-pressed', String(view === 'map'));
  $('#show-graph').setAttribute('aria-pressed', String(view === 'graph'));
  if (view === 'graph' && state.lastJourney) drawGraph(state.lastJourney);
  if (view === 'map') {
    const box = $('#emotion-chart');
    if (box && echarts.getInstanceByDom(box)) echarts.getInstanceByDom(box).resize();
  }
}

// The journey map's words on a card: what the touchpoint is, what the customer does and
// thinks there, its pain points (red) and opportunities (green), its owner and lane.
function touchpointWords(t) {
  const w = t.words || {};
  const list = (field, items, title) => (items && items.length
    ? el('ul', { class: `words ${field}`, 'data-field': field, title }, items.map((x) => el('li', {}, x))) : null);
  const who = [w.owner, w.lane].filter(Boolean).join(' · ');
  return [
    w.description ? el('p', { class: 'words', 'data-field': 'description' }, w.description) : null,
    w.customer_action ? el('p', { class: 'words action', 'data-field': 'customer_action' }, w.customer_action) : null,
    list('thoughts', w.thoughts, 'Thoughts'),
    list('pain_points', w.pain_points, 'Pain points'),
    list('opportunities', w.opportunities, 'Opportunities'),
    who ? el('p', { class: 'words owner', 'data-field': 'owner' }, who) : null,
  ];
}

// The emotion each touchpoint leaves, stage by stage: the map's curve (pain points below 0).
function drawEmotionCurve(journey) {
  const box = $('#emotion-chart');
  if (!box || typeof echarts === 'undefined') return;
  const order = journey.stages.flatMap((s) => journey.touchpoints.filter((t) => t.stage === s));
  const chart = echarts.getInstanceByDom(box) || echarts.init(box);
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 12, top: 24, bottom: 70 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: order.map((t) => t.name), axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: 'value', min: -1, max: 1, name: 'emotion' },
    // Pain points (below 0) in red, the rest in blue.
    series: [{
      type: 'line',
      data: order.map((t) => ({ value: t.emotion.mean, itemStyle: { color: t.emotion.mean < 0 ? '#d9534f' : '#2d6cdf' } })),
      symbolSize: 7,
      lineStyle: { color: '#7a8aa0' },
    }],
  }, true);
}

// The touchpoint graph: touchpoints as nodes, transitions as arrows as thick as their weight,
// laid out left to right by dagre (npm @dagrejs/dagre, served at /dagre.js) and drawn by
// ECharts; a click on a node opens it in the panel as a click on its card does.
const STAGE_COLOURS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4'];

function drawGraph(journey) {
  const box = $('#graph');
  if (!box || typeof echarts === 'undefined' || typeof dagre === 'undefined') return;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 10, ranksep: 50, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const t of journey.touchpoints) {
    g.setNode(t.id, { width: Math.min(160, 24 + 6.5 * t.name.length), height: 30 });
  }
  for (const tr of journey.transitions) {
    if (tr.from !== tr.to) g.setEdge(tr.from, tr.to);
  }
  dagre.layout(g);
  const size = g.graph();
  const colour = (stage) => STAGE_COLOURS[Math.max(0, journey.stages.indexOf(stage)) % STAGE_COLOURS.length];
  const most = Math.max(...journey.transitions.map((tr) => tr.weight), 1);
  // Drawn at the layout's own scale (the nodes keep their size and never overlap), in a box
  // that scrolls when the graph is wider or taller than the page.
  // Scaled down as a whole (nodes too) to fit the page's width, at most to half size.
  const room = (box.parentNode.clientWidth || 800) - 24;
  const scale = Math.max(0.5, Math.min(1, room / size.width));
  box.style.width = `${Math.ceil(size.width * scale) + 20}px`;
  box.style.height = `${Math.ceil(size.height * scale) + 50}px`;
  box.dataset.nodes = g.nodeCount();
  box.dataset.edges = g.edgeCount();
  box.dataset.layout = JSON.stringify(g.nodes().map((id) => [id, Math.round(g.node(id).x), Math.round(g.node(id).y)]));
  const chart = echarts.getInstanceByDom(box) || echarts.init(box);
  chart.resize();
  chart.off('click');
  chart.on('click', (e) => {
    if (e.dataType !== 'node') return;
    state.selected = { type: 'touchpoint', id: e.data.id };
    renderMap();
    renderPanel();
  });
  chart.setOption({
    animation: false,
    tooltip: { formatter: (p) => (p.dataType === 'edge' ? `${p.data.source} → ${p.data.target}: weight ${p.data.value}`
      : `${p.data.name}<br>${p.data.stage} · dropout ${percent(p.data.dropout)}`) },
    legend: { data: journey.stages, top: 0, left: 0 },
    series: [{
      type: 'graph', layout: 'none', roam: true, top: 40 + 15 * scale, bottom: 10 + 15 * scale,
      left: 10 + 80 * scale, right: 10 + 80 * scale,
      categories: journey.stages.map((name) => ({ name, itemStyle: { color: colour(name) } })),
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7,
      label: { show: true, fontSize: Math.max(8, Math.round(11 * scale)), width: 150 * scale - 8, overflow: 'truncate', position: 'inside' },
      data: journey.touchpoints.map((t) => ({
        id: t.id, name: t.name, x: g.node(t.id).x, y: g.node(t.id).y, stage: t.stage, dropout: t.dropout,
        category: journey.stages.indexOf(t.stage), symbol: 'roundRect',
        symbolSize: [g.node(t.id).width * scale, 26 * scale],
        itemStyle: state.selected && state.selected.id === t.id ? { borderColor: '#1d2430', borderWidth: 2 } : undefined,
      })),
      links: journey.transitions.filter((tr) => tr.from !== tr.to).map((tr) => ({
        source: tr.from, target: tr.to, value: tr.weight,
        lineStyle: { width: 0.6 + 3.4 * tr.weight / most, opacity: 0.55, curveness: 0.08 },
      })),
    }],
  }, true);
}

// The edit panel: the selected touchpoint's numbers, or the settings and personas.
const TOUCHPOINT_FIELDS = [
  ['dropout', 'Dropout', 'dropout'], ['emotion.mean', 'Emotion (mean)', 'mean'],
  ['emotion.sd', 'Emotion (sd)', 'sd'], ['cost', 'Cost', 'cost'],
  ['entry_weight', 'Entry weight', 'entry_weight'],
];

function fieldValue(t, field) {
  return field === 'emotion.mean' ? t.emotion.mean : field === 'emotion.sd' ? t.emotion.sd : t[field];
}

// The words of the map a panel edits: [field, label, kind] with kind 'line', 'list' (one item
// a line) or 'lane'.
const TOUCHPOINT_WORDS = [
  ['description', 'Description', 'line'], ['customer_action', 'Customer action', 'line'],
  ['thoughts', 'Thoughts', 'list'], ['pain_points', 'Pain points', 'list'],
  ['opportunities', 'Opportunities', 'list'], ['owner', 'Owner', 'line'], ['lane', 'Lane', 'lane'],
];
const STAGE_WORDS = [['description', 'Description', 'line'], ['goals', 'Goals', 'list']];
const PERSONA_WORDS = [
  ['name', 'Name', 'line'], ['description', 'Description', 'line'], ['quote', 'Quote', 'line'],
  ['goals', 'Goals', 'list'],
];

function renderPanel() {
  const panel = $('#panel');
  const journey = state.lastJourney;
  const layout = $('#layout');
  if (!state.file || !journey) {
    panel.hidden = true;
    layout.classList.add('no-panel');
    return;
  }
  panel.hidden = false;
  layout.classList.remove('no-panel');
  const active = document.activeElement;
  if (active && panel.contains(active) && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName)) return;  // typing there
  const isFuture = state.file.kind === 'future_state';
  // A journey's number is edited in its text; a future state's becomes a change on its base.
  const numberField = (label, value, attributes, edit, change) => {
    const input = el('input', { type: 'number', step: 'any', value, 'aria-label': label, ...attributes });
    if (isFuture) input.addEventListener('change', () => addChange(change(Number(input.value))));
    else input.addEventListener('input', () => edit(input.value));
    return el('label', { class: 'field' }, label, input);
  };
  // The same for words: a line of text, a list (one item a line) or a lane.
  const wordField = ([field, label, kind], value, attributes, entity, whose, change) => {
    let input;
    if (kind === 'list') {
      input = el('textarea', { rows: '2', 'aria-label': label, ...attributes });
      input.value = (value || []).join('\n');
    } else if (kind === 'lane') {
      input = el('select', { 'aria-label': label, ...attributes },
        ['', 'frontstage', 'backstage', 'support'].map((l) => el('option', { value: l }, l || '(none)')));
      input.value = value || '';
    } else {
      input = el('input', { type: 'text', value: value || '', 'aria-label': label, ...attributes });
    }
    const read = () => (kind === 'list' ? input.value.split('\n').map((x) => x.trim()).filter(Boolean) : input.value.trim());
    if (isFuture) input.addEventListener('change', () => addChange(change(read())));
    else input.addEventListener(kind === 'lane' ? 'change' : 'input', () => editWordsAt(entity, whose, field, read()));
    return el('label', { class: 'field words-field' }, label, input);
  };
  const selected = state.selected;
  const touchpoint = selected && selected.type === 'touchpoint' && journey.touchpoints.find((t) => t.id === selected.id);
  const stage = selected && selected.type === 'stage' && (journey.stage_words || []).find((st) => st.name === selected.id);
  const parts = [];
  const editHint = el('p', { class: 'hint' },
    isFuture ? 'A new value here is added as a change of this future state.'
      : 'Edits change the file\'s text; messages show as you type.');
  if (touchpoint) {
    parts.push(el('h3', {}, touchpoint.name), editHint);
    for (const [field, label, key] of TOUCHPOINT_FIELDS) {
      parts.push(numberField(label, fieldValue(touchpoint, field), { name: field, 'data-field': field },
        (raw) => editFieldAt(touchpoint, `${touchpoint.id}'s`, field, key, raw),
        (v) => ({ update_touchpoint: field.startsWith('emotion.') ? { id: touchpoint.id, emotion: { [key]: v } }
          : { id: touchpoint.id, [key]: v } })));
    }
    for (const spec of TOUCHPOINT_WORDS) {
      parts.push(wordField(spec, touchpoint.words[spec[0]], { 'data-words': spec[0] }, touchpoint,
        `${touchpoint.id}'s`, (v) => ({ update_touchpoint: { id: touchpoint.id, [spec[0]]: v } })));
    }
    const out = journey.transitions.filter((t) => t.from === touchpoint.id);
    parts.push(el('h3', {}, 'Transitions out'));
    if (!out.length) parts.push(el('p', { class: 'hint' }, 'none'));
    for (const t of out) {
      parts.push(el('p', { class: 'summary' }, `to ${t.to}`),
        numberField('Weight', t.weight, { 'data-transition': t.to, 'data-field': 'weight' },
          (raw) => editFieldAt(t, `the transition to ${t.to}`, 'weight', 'weight', raw),
          (v) => ({ reweight_transition: { from: t.from, to: t.to, weight: v } })),
        numberField('Emotion bias', t.emotion_bias, { 'data-transition': t.to, 'data-field': 'emotion_bias' },
          (raw) => editFieldAt(t, `the transition to ${t.to}`, 'emotion_bias', 'emotion_bias', raw),
          (v) => ({ update_transition: { from: t.from, to: t.to, emotion_bias: v } })));
    }
  } else if (stage) {
    parts.push(el('h3', {}, `Stage: ${stage.name}`), editHint);
    for (const spec of STAGE_WORDS) {
      parts.push(wordField(spec, stage[spec[0]], { 'data-stage-words': spec[0] }, stage,
        `stage ${stage.name}'s`, (v) => ({ update_stage: { name: stage.name, [spec[0]]: v } })));
    }
  } else {
    parts.push(el('h3', {}, journey.name), el('p', {}, journey.description || ''),
      el('p', { class: 'hint' }, 'Click a touchpoint card or a stage to edit it.'));
  }
  parts.push(el('h3', {}, 'Settings'));
  for (const key of ['memory', 'kappa']) {
    parts.push(numberField(key, journey.settings[key], { 'data-setting': key },
      (raw) => editFieldAt(journey.settings, 'the settings\'', key, key, raw),
      (v) => ({ update_settings: { [key]: v } })));
  }
  parts.push(el('h3', {}, 'Personas'));
  for (const p of journey.personas) {
    parts.push(el('details', { class: 'persona', 'data-persona': p.id },
      el('summary', {}, p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id),
      [['share', 'Share'], ['sensitivity', 'Sensitivity'], ['dropout_odds', 'Dropout odds']].map(([key, label]) =>
        numberField(label, p[key], { 'data-persona': p.id, 'data-field': key },
          (raw) => editFieldAt(p, `${p.id}'s`, key, key, raw),
          (v) => ({ update_persona: { id: p.id, [key]: v } }))),
      PERSONA_WORDS.map((spec) => wordField(spec, p[spec[0]], { 'data-persona': p.id, 'data-words': spec[0] }, p,
        `${p.id}'s`, (v) => ({ update_persona: { id: p.id, [spec[0]]: v } })))));
  }
  // Persona panels opened before stay open across redraws.
  const open = new Set([...panel.querySelectorAll('details.persona[open]')].map((d) => d.dataset.persona));
  for (const part of parts) if (part.matches && part.matches('details.persona') && open.has(part.dataset.persona)) part.open = true;
  panel.replaceChildren(...parts);
}

// The end of the single-line value that starts at `start` of `line`: a quoted string or a
// flow list closed on the line, or a plain scalar up to a comment; -1 when the value is
// written over several lines (a block scalar, a block list, a list not closed on the line).
function valueEnd(line, start) {
  const c = line[start];
  if (c === undefined || c === '>' || c === '|') return -1;
  if (c === '"' || c === '\'') {
    for (let i = start + 1; i < line.length; ++i) {
      if (c === '"' && line[i] === '\\') { ++i; continue; }
      if (line[i] === c) {
        if (c === '\'' && line[i + 1] === '\'') { ++i; continue; }
        return i + 1;
      }
    }
    return -1;
  }
  if (c === '[') {
    let depth = 0;
    let quote = null;
    for (let i = start; i < line.length; ++i) {
      const x = line[i];
      if (quote) {
        if (x === '\\' && quote === '"') ++i;
        else if (x === quote) quote = null;
      } else if (x === '"' || x === '\'') quote = x;
      else if (x === '[') ++depth;
      else if (x === ']' && --depth === 0) return i + 1;
    }
    return -1;
  }
  const comment = line.indexOf(' #', start);
  return (comment < 0 ? line.length : comment);
}

// Writes a word field (a string, or a list of strings) of a touchpoint, stage or persona as
// JSON (which YAML reads as it is) where the file has it on one line, or as a new key of the
// entity's map; otherwise says to edit it in the text.
function editWordsAt(entity, whose, field, value) {
  const written = JSON.stringify(value);
  const where = entity.fields && entity.fields[field];
  let text = null;
  if (where && where.file === state.file.path) {
    const lines = state.text.split('\n');
    const line = lines[where.line - 1];
    const start = where.column - 1;
    const match = line === undefined ? null : /^([A-Za-z_]\w*)\s*:[ \t]*/.exec(line.slice(start));
    const next = lines[where.line] || '';
    const continued = next.trim() !== '' && next.search(/\S/) > start && !next.trim().startsWith('#');
    if (match && match[1] === field && !line.slice(0, start).includes('{') && !continued) {
      const valueStart = start + match[0].length;
      const end = valueEnd(line, valueStart);
      if (end >= 0) {
        let rest = line.slice(end);
        if (end === line.length || /^\s*(#.*)?$/.test(rest)) {
          rest = rest.trimStart() ? ` ${rest.trimStart()}` : '';
          lines[where.line - 1] = line.slice(0, valueStart) + written + rest;
          text = lines.join('\n');
        }
      }
    }
  } else if (entity.where && entity.where.file === state.file.path) {
    text = addKeyAfter(state.text, entity.where, field, written);
  }
  if (text === null) {
    toast(`edit ${whose} ${field} in the text below`, true);
    return;
  }
  edited(text);
}

// Writes `raw` as the value of `field` of a touchpoint, transition, persona or the settings,
// where the file has it, or as a new key of the entity's map when it has none.
function editFieldAt(entity, whose, field, key, raw) {
  const where = entity.fields[field];
  const value = raw.trim();
  let text = null;
  if (where && where.file === state.file.path) {
    text = replaceValueAt(state.text, where, key, value);
  } else if (!field.includes('.') && entity.where && entity.where.file === state.file.path) {
    text = addKeyAfter(state.text, entity.where, key, value);
  }
  if (text === null) {
    toast(`edit ${whose} ${field} in the text below`, true);
    return;
  }
  edited(text);
}

function renderFuture() {
  const section = $('#future');
  if (!section || section.hidden) return;
  const journey = state.lastJourney;
  const items = currentChanges();
  const touchpoints = journey ? journey.touchpoints : [];
  const kind = el('select', { id: 'change-kind' },
    ['update_touchpoint', 'remove_touchpoint', 'reweight_transition'].map((k) => el('option', { value: k }, k)));
  const touchpoint = el('select', { id: 'change-touchpoint' }, touchpoints.map((t) => el('option', { value: t.id }, t.name)));
  const field = el('select', { id: 'change-field' }, ['dropout', 'cost', 'entry_weight', 'emotion.mean'].map((f) => el('option', { value: f }, f)));
  const value = el('input', { id: 'change-value', type: 'number', step: 'any', value: '0.1' });
  // The form keeps what was chosen across redraws (a change added or removed redraws it).
  for (const input of [kind, touchpoint, field, value]) {
    const before = section.querySelector(`#${input.id}`);
    if (before && [...(input.options || [{ value: before.value }])].some((o) => o.value === before.value)) {
      input.value = before.value;
    }
  }
  const add = () => {
    const id = touchpoint.value;
    if (kind.value === 'remove_touchpoint') return addChange({ remove_touchpoint: id });
    if (kind.value === 'reweight_transition') {
      return toast('write a reweight_transition in the text: {from: A, to: B, factor: X}', true);
    }
    const v = Number(value.value);
    addChange({ update_touchpoint: field.value === 'emotion.mean' ? { id, emotion: { mean: v } }
      : { id, [field.value]: v } });
  };
  section.replaceChildren(
    el('h3', {}, `Changes on ${journey && journey.bases.length ? journey.bases[0] : 'its base'}`),
    el('ol', { class: 'changes', id: 'changes' }, items.map((item, index) => el('li', { 'data-change': index, 'data-kind': item.kind, 'data-line': item.line },
      el('code', {}, changeText(item)),
      el('button', { class: 'secondary', 'aria-label': `Remove change ${index + 1}`, onclick: () => removeChange(index) }, 'Remove')))),
    el('div', { class: 'toolbar' }, kind, touchpoint, field, value,
      el('button', { class: 'secondary', id: 'add-change', onclick: add }, 'Add change')));
}

// ---- adding and removing touchpoints, transitions and personas ----------------------------
// On a journey, a new item is written into its list in the text (one line of JSON, which YAML
// reads as it is) and a removed one's lines are taken out; on a future state each becomes an
// add_* or remove_* change. A new item is checked by the server's loader first (as `cjsim
// validate` checks it): with an error on its line it is not added, and the messages show next
// to the form's fields they name.
const FORMS = {
  touchpoint: {
    title: 'Touchpoint', list: 'touchpoints', change: 'add_touchpoint',
    fields: [['id', 'text'], ['name', 'text'], ['stage', 'stage'], ['channel', 'text'],
      ['dropout', 'number'], ['emotion', 'number']],
    item: (v) => ({ id: v.id, name: v.name || undefined, stage: v.stage, channel: v.channel,
      dropout: v.dropout, emotion: v.emotion === undefined ? undefined : { mean: v.emotion } }),
  },
  transition: {
    title: 'Transition', list: 'transitions', change: 'add_transition',
    fields: [['from', 'touchpoint'], ['to', 'touchpoint'], ['weight', 'number']],
    item: (v) => ({ from: v.from, to: v.to, weight: v.weight }),
  },
  persona: {
    title: 'Persona', list: 'personas', change: 'add_persona',
    fields: [['id', 'text'], ['name', 'text'], ['share', 'number']],
    item: (v) => ({ id: v.id, name: v.name || undefined, share: v.share }),
  },
};

function renderStructure() {
  const box = $('#structure-forms');
  const journey = state.lastJourney;
  if (!box || !journey) return;
  const forms = Object.entries(FORMS).map(([kind, form]) => {
    const inputs = form.fields.map(([key, type]) => {
      let input;
      if (type === 'stage' || type === 'touchpoint') {
        const options = type === 'stage' ? journey.stages : journey.touchpoints.map((t) => t.id);
        input = el('select', {}, options.map((o) => el('option', { value: o }, o)));
      } else {
        input = el('input', { type: type === 'number' ? 'number' : 'text', step: 'any' });
      }
      input.name = key;
      input.dataset.add = `${kind}.${key}`;
      return el('label', { class: 'field form-field', 'data-key': key }, key, input, el('span', { class: 'field-error' }));
    });
    const removable = kind === 'touchpoint' ? journey.touchpoints.map((t) => [t.id, t.name])
      : kind === 'transition' ? journey.transitions.map((t) => [`${t.from} -> ${t.to}`, `${t.from} → ${t.to}`])
        : journey.personas.map((p) => [p.id, p.name]);
    const which = el('select', { 'data-remove': kind, 'aria-label': `${form.title} to remove` },
      removable.map(([value, label]) => el('option', { value }, label)));
    const formBox = el('form', { class: 'add-form', 'data-form': kind },
      el('h4', {}, `Add a ${form.title.toLowerCase()}`), inputs,
      el('p', { class: 'form-error' }),
      el('button', { class: 'secondary', type: 'submit', 'data-add-button': kind }, `Add ${form.title.toLowerCase()}`),
      el('div', { class: 'toolbar' }, which,
        el('button', { class: 'secondary', type: 'button', 'data-remove-button': kind,
          onclick: () => removeItem(kind, which.value) }, `Remove ${form.title.toLowerCase()}`)));
    formBox.addEventListener('submit', (e) => { e.preventDefault(); addItem(kind, formBox); });
    return formBox;
  });
  // What was typed or chosen stays across redraws (a check of the text redraws the forms).
  for (const old of box.querySelectorAll('[data-add], [data-remove]')) {
    const key = old.dataset.add ? `[data-add="${old.dataset.add}"]` : `[data-remove="${old.dataset.remove}"]`;
    const now = forms.map((f) => f.querySelector(key)).find(Boolean);
    if (now && (now.tagName !== 'SELECT' || [...now.options].some((o) => o.value === old.value))) now.value = old.value;
  }
  box.replaceChildren(...forms);
}

function formValues(kind, formBox) {
  const values = {};
  for (const [key, type] of FORMS[kind].fields) {
    const raw = formBox.querySelector(`[name="${key}"]`).value.trim();
    if (raw === '') continue;
    values[key] = type === 'number' ? Number(raw) : raw;
  }
  return JSON.parse(JSON.stringify(FORMS[kind].item(values)));  // drops the fields left empty
}

// Shows `diagnostics` (those on the new item's lines) next to the fields they name.
function showFormErrors(formBox, diagnostics) {
  for (const span of formBox.querySelectorAll('.field-error, .form-error')) span.textContent = '';
  const rest = [];
  for (const d of diagnostics) {
    const field = [...formBox.querySelectorAll('.form-field')].find((f) =>
      new RegExp(`(^|[^\\w'])'?${f.dataset.key}'?([^\\w']|$)`).test(d.message));
    if (field) field.querySelector('.field-error').textContent += `${d.message} `;
    else rest.push(d.message);
  }
  formBox.querySelector('.form-error').textContent = rest.join(' ');
}

// The line of the list `list` where a new item goes, and its indentation: after the last item
// (before the comments and blank lines that end the list), or a new list at the end.
function listEnd(journey, lines, list) {
  const items = journey[list].filter((x) => x.where && x.where.file === state.file.path);
  const keys = Object.entries(journey.fields).filter(([k]) => !k.includes('['));
  if (!items.length) return null;
  const last = items.reduce((a, b) => (b.where.line > a.where.line ? b : a));
  const after = keys.map(([, w]) => w.line).filter((l) => l > last.where.line);
  let end = after.length ? Math.min(...after) - 1 : lines.length;  // the list's last line (1-based)
  while (end > last.where.line && /^\s*(#.*)?$/.test(lines[end - 1])) --end;
  return { line: end, indent: ' '.repeat(Math.max(0, last.where.column - 3)) };
}

async function addItem(kind, formBox) {
  const form = FORMS[kind];
  const item = formValues(kind, formBox);
  const journey = state.lastJourney;
  if (state.file.kind === 'future_state') {
    const { data } = await api('POST', '/api/changes', {
      path: state.file.path, text: state.text, changes: [...currentChanges().map((c) => c.change), { [form.change]: item }],
    });
    const added = data.changes && data.changes[data.changes.length - 1];
    const own = data.diagnostics.filter((d) => d.severity === 'error' && added && d.file === state.file.path && d.line >= added.line);
    showFormErrors(formBox, own);
    if (own.length) return;
    return writeChanges([...currentChanges().map((c) => c.change), { [form.change]: item }]);
  }
  const lines = state.text.split('\n');
  const end = listEnd(journey, lines, form.list);
  let text;
  let line;
  if (end) {
    lines.splice(end.line, 0, `${end.indent}- ${JSON.stringify(item)}`);
    line = end.line + 1;
    text = lines.join('\n');
  } else {
    const body = state.text.endsWith('\n') ? state.text : `${state.text}\n`;
    text = `${body}${form.list}:\n  - ${JSON.stringify(item)}\n`;
    line = body.split('\n').length + 1;
  }
  const { data } = await api('POST', '/api/validate', { path: state.file.path, text });
  const own = data.diagnostics.filter((d) => d.severity === 'error' && d.file === state.file.path && d.line === line);
  showFormErrors(formBox, own);
  if (own.length) return;
  edited(text);
  toast(`added ${kind} ${item.id || `${item.from} -> ${item.to}`}; the messages above say what it still needs`);
}

// The lines [first, last] (1-based) an item of a list is written on, or null when it shares
// its line with another item.
function itemLines(journey, lines, list, entity) {
  const starts = journey[list].filter((x) => x.where && x.where.file === state.file.path).map((x) => x.where.line);
  if (starts.filter((l) => l === entity.where.line).length > 1) return null;
  const keys = Object.entries(journey.fields).filter(([k]) => !k.includes('[')).map(([, w]) => w.line);
  const next = [...starts, ...keys].filter((l) => l > entity.where.line);
  let last = next.length ? Math.min(...next) - 1 : lines.length;
  while (last > entity.where.line && /^\s*(#.*)?$/.test(lines[last - 1])) --last;
  return [entity.where.line, last];
}

function removeItem(kind, value) {
  if (!value) return;
  const journey = state.lastJourney;
  if (state.file.kind === 'future_state') {
    const [from, to] = value.split(' -> ');
    const change = kind === 'touchpoint' ? { remove_touchpoint: value }
      : kind === 'transition' ? { remove_transition: { from, to } } : { remove_persona: value };
    return addChange(change);
  }
  // A touchpoint goes with the transitions into and out of it.
  const doomed = kind === 'touchpoint'
    ? [['touchpoints', journey.touchpoints.find((t) => t.id === value)],
      ...journey.transitions.filter((t) => t.from === value || t.to === value).map((t) => ['transitions', t])]
    : kind === 'transition' ? [['transitions', journey.transitions.find((t) => `${t.from} -> ${t.to}` === value)]]
      : [['personas', journey.personas.find((p) => p.id === value)]];
  const lines = state.text.split('\n');
  const ranges = [];
  for (const [list, entity] of doomed) {
    if (!entity || !entity.where || entity.where.file !== state.file.path) {
      return toast(`remove ${value} in the text below: it is not written in this file`, true);
    }
    const range = itemLines(journey, lines, list, entity);
    if (!range) return toast(`remove ${value} in the text below: it shares a line with another item`, true);
    ranges.push(range);
  }
  ranges.sort((a, b) => b[0] - a[0]);
  for (const [first, last] of ranges) lines.splice(first - 1, last - first + 1);
  edited(lines.join('\n'));
}

// ---- runs and comparisons ----------------------------------------------------------------
function renderRun() {
  const section = $('#run-section');
  const isFuture = state.file.kind === 'future_state';
  section.replaceChildren(
    el('h3', {}, isFuture ? 'Compare with the base' : 'Run'),
    el('div', { class: 'toolbar' },
      el('label', {}, 'Agents', el('input', { type: 'number', id: 'agents', value: '100000', min: '1', step: '1' })),
      el('label', {}, 'Seed', el('input', { type: 'number', id: 'seed', placeholder: 'the file\'s', min: '0', step: '1' })),
      el('span', { id: 'draws-box', class: 'toolbar', hidden: true }),
      el('button', { class: 'primary', id: 'start', onclick: startJob }, isFuture ? 'Compare' : 'Run'),
      el('button', { class: 'secondary', id: 'cancel', hidden: true, onclick: cancelJob }, 'Cancel'),
      el('progress', { id: 'progress', max: '1', value: '0', hidden: true }),
      el('span', { id: 'job-state', class: 'hint' })),
    el('section', { id: 'whatif' }),
    el('div', { id: 'results' }));
  renderDraws();
  renderWhatIf();
}

// The numbers written as distributions (the journey's `uncertain_inputs`, with what a future
// state inherits): when there are any, the run panel offers to draw them, as `--draws K
// [--total-effects]` does, so that the answer says how sure it is; hidden (no draws) otherwise.
function renderDraws() {
  const box = $('#draws-box');
  if (!box) return;
  const journey = state.lastJourney;
  const inputs = (journey && !journey.calendar && journey.uncertain_inputs) || [];
  const before = $('#draws');
  const kept = before ? before.value : '32';
  const totals = $('#total-effects');
  box.hidden = inputs.length === 0;
  if (!inputs.length) return box.replaceChildren();
  box.replaceChildren(
    el('label', { title: 'Parameter sets drawn from the distributions, each run on the same agents (0: run at their means)' },
      'Draws', el('input', { type: 'number', id: 'draws', value: kept, min: '0', max: '256', step: '1' })),
    el('label', { title: 'Rank the inputs by total Sobol indices too: one more run per input and draw' },
      el('input', { type: 'checkbox', id: 'total-effects', checked: totals && totals.checked ? true : undefined }), 'total effects'),
    el('span', { class: 'hint', id: 'uncertain-inputs', title: inputs.map((i) => `${i.path}: ${i.distribution}`).join('\n') },
      `${inputs.length} uncertain input${inputs.length === 1 ? '' : 's'}`));
}

// ---- the what-if slider --------------------------------------------------------------------
// A numeric field of a touchpoint or of a transition out of it, dragged: the studio compares
// the journey (or a future state's base) with the same change added as a future-state change,
// on the same agents, again after each pause in the dragging, cancelling the comparison before.
const whatif = { serial: 0, job: null, timer: null, change: null, started: 0 };

function whatIfFields(journey, id) {
  const t = journey.touchpoints.find((x) => x.id === id);
  if (!t) return [];
  const upTo = (x, floor) => Math.max(floor, Math.ceil(3 * Math.abs(x)));
  const fields = [
    { key: 'dropout', label: 'dropout', value: t.dropout, min: 0, max: 1,
      change: (v) => ({ update_touchpoint: { id, dropout: v } }) },
    { key: 'emotion.mean', label: 'emotion (mean)', value: t.emotion.mean, min: -1, max: 1,
      change: (v) => ({ update_touchpoint: { id, emotion: { mean: v } } }) },
    { key: 'cost', label: 'cost', value: t.cost, min: 0, max: upTo(t.cost, 10),
      change: (v) => ({ update_touchpoint: { id, cost: v } }) },
    { key: 'entry_weight', label: 'entry weight', value: t.entry_weight, min: 0, max: upTo(t.entry_weight, 5),
      change: (v) => ({ update_touchpoint: { id, entry_weight: v } }) },
  ];
  if (t.duration && t.duration.kind === 'fixed') {
    fields.push({ key: 'duration', label: 'duration (hours)', value: t.duration.hours, min: 0,
      max: upTo(t.duration.hours, 1), change: (v) => ({ update_touchpoint: { id, duration: v } }) });
  }
  for (const tr of journey.transitions.filter((x) => x.from === id)) {
    fields.push({ key: `weight:${tr.to}`, label: `weight to ${tr.to}`, value: tr.weight, min: 0,
      max: upTo(tr.weight, 5), change: (v) => ({ reweight_transition: { from: id, to: tr.to, weight: v } }) });
    fields.push({ key: `emotion_bias:${tr.to}`, label: `emotion bias to ${tr.to}`, value: tr.emotion_bias,
      min: -1, max: 1, change: (v) => ({ update_transition: { from: id, to: tr.to, emotion_bias: v } }) });
  }
  return fields;
}

function renderWhatIf() {
  const section = $('#whatif');
  const journey = state.lastJourney;
  if (!section || !journey) return;
  const isFuture = state.file.kind === 'future_state';
  if (journey.calendar) {
    section.replaceChildren(el('p', { class: 'hint' }, 'The what-if slider takes journeys without a calendar; run or compare this one above.'));
    return;
  }
  const before = { touchpoint: $('#whatif-touchpoint', section)?.value, field: $('#whatif-field', section)?.value };
  const touchpoint = el('select', { id: 'whatif-touchpoint', 'aria-label': 'Touchpoint' },
    journey.touchpoints.map((t) => el('option', { value: t.id }, t.name)));
  if (journey.touchpoints.some((t) => t.id === before.touchpoint)) touchpoint.value = before.touchpoint;
  const field = el('select', { id: 'whatif-field', 'aria-label': 'Field' });
  const slider = el('input', { type: 'range', id: 'whatif-slider', 'aria-label': 'What-if value' });
  const shown = el('output', { id: 'whatif-value', for: 'whatif-slider' });
  const fill = () => {
    const fields = whatIfFields(journey, touchpoint.value);
    const keep = field.value || before.field;
    field.replaceChildren(...fields.map((f) => el('option', { value: f.key }, f.label)));
    if (fields.some((f) => f.key === keep)) field.value = keep;
    const f = fields.find((x) => x.key === field.value) || fields[0];
    slider.min = f.min; slider.max = f.max; slider.step = (f.max - f.min) / 100;
    slider.value = f.value;
    shown.textContent = Number(f.value).toPrecision(3);
  };
  touchpoint.addEventListener('change', () => { field.value = ''; fill(); });
  field.addEventListener('change', fill);
  slider.addEventListener('input', () => {
    shown.textContent = Number(slider.value).toPrecision(3);
    const f = whatIfFields(journey, touchpoint.value).find((x) => x.key === field.value);
    whatif.change = f.change(Number(slider.value));
    clearTimeout(whatif.timer);
    whatif.timer = setTimeout(runWhatIf, 200);
  });
  fill();
  section.replaceChildren(
    el('h3', {}, 'What if'),
    el('div', { class: 'toolbar' }, touchpoint, field),
    el('div', { class: 'toolbar' }, slider, shown,
      el('button', { class: 'secondary', id: 'whatif-keep', onclick: keepWhatIf },
        isFuture ? 'Add as a change' : 'Save as a future state…'),
      el('span', { id: 'whatif-state', class: 'hint' })),
    el('div', { id: 'whatif-answer' }));
}

// The future state the slider compares: this future state's text with the slider's change
// added, or, on a journey, a new future state of the journey with that one change.
async function whatIfFuture(change) {
  if (state.file.kind === 'future_state') {
    const { data } = await api('POST', '/api/changes', {
      path: state.file.path, text: state.text, changes: [...currentChanges().map((c) => c.change), change],
    });
    return { path: state.file.path, base: state.lastJourney.bases[0], check: data };
  }
  const slash = state.file.path.lastIndexOf('/');
  const name = state.file.path.slice(slash + 1);
  const path = `${state.file.path.slice(0, slash + 1)}${name.replace(/\.(ya?ml|json)$/, '')}_what_if.yaml`;
  const text = `# What if, on ${name}: made by the studio's slider\nbase: ${JSON.stringify(name)}\nchanges:\n`;
  const { data } = await api('POST', '/api/changes', { path, text, changes: [change] });
  return { path, base: state.file.path, check: data };
}

async function runWhatIf() {
  const serial = ++whatif.serial;
  const status = $('#whatif-state');
  if (whatif.job) {
    api('DELETE', `/api/jobs/${whatif.job}`).catch(() => {});
    whatif.job = null;
  }
  if (state.file.kind !== 'future_state' && state.text !== state.saved) {
    status.textContent = 'save the journey first: the what-if future state is made on the file';
    return;
  }
  whatif.started = performance.now();
  status.textContent = 'comparing…';
  status.dataset.state = 'running';
  const future = await whatIfFuture(whatif.change);
  if (serial !== whatif.serial) return;
  if (!future.check.valid) {
    status.textContent = future.check.diagnostics.map((d) => d.text).join('\n');
    status.dataset.state = 'invalid';
    return;
  }
  whatif.future = future;
  const body = {
    kind: 'compare', agents: Number($('#agents').value),
    journeys: [{ path: future.base }, { path: future.path, text: future.check.text }],
  };
  if ($('#seed').value !== '') body.seed = Number($('#seed').value);
  let job = null;
  for (let tries = 0; !job; ++tries) {
    try {
      job = (await api('POST', '/api/jobs', body)).data;
    } catch (e) {
      // The comparison cancelled a moment ago may still be stopping: the studio runs two at once.
      if (tries > 40 || !/under way/.test(e.message)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (serial !== whatif.serial) {
      if (job) api('DELETE', `/api/jobs/${job.id}`).catch(() => {});
      return;
    }
  }
  whatif.job = job.id;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 60));
    if (serial !== whatif.serial) return;
    const { data } = await api('GET', `/api/jobs/${job.id}`);
    if (serial !== whatif.serial) return;
    if (data.state === 'running') continue;
    whatif.job = null;
    if (data.state !== 'done') {
      status.textContent = `${data.state}: ${data.error}`;
      status.dataset.state = data.state;
      return;
    }
    break;
  }
  const { data: answer } = await api('GET', `/api/jobs/${job.id}/answer`);
  if (serial !== whatif.serial) return;
  const seconds = (performance.now() - whatif.started) / 1000;
  $('#whatif-answer').replaceChildren(answerCards(answer, 'whatif-cards'));
  $('#whatif-answer').dataset.job = job.id;
  status.textContent = `answered in ${seconds.toFixed(2)} s`;
  status.dataset.state = 'done';
  status.dataset.seconds = seconds;
}

// Keeps the slider's change: a change of this future state (saved with Save), or, on a
// journey, a new future-state file with that one change.
async function keepWhatIf() {
  if (!whatif.change) return toast('drag the slider first', true);
  if (state.file.kind === 'future_state') return addChange(whatif.change);
  const future = await whatIfFuture(whatif.change);
  const path = prompt('Save the what-if future state as:', future.path);
  if (!path) return;
  const { status, data } = await api('PUT', '/api/file', { path, text: future.check.text, etag: null });
  if (status === 409) return toast(data.error, true);
  toast(`saved ${data.path}`);
  await loadFiles();
}

async function startJob() {
  const journey = state.check && state.check.journey;
  if (!journey) return toast('the text has errors; fix them first', true);
  const isFuture = state.file.kind === 'future_state';
  const own = { path: state.file.path, text: state.text };
  const body = {
    kind: isFuture ? 'compare' : 'run',
    journeys: isFuture ? [{ path: journey.bases[0] }, own] : [own],
    agents: Number($('#agents').value),
  };
  if ($('#seed').value !== '') body.seed = Number($('#seed').value);
  if (!$('#draws-box').hidden && $('#draws').value !== '') {
    body.draws = Number($('#draws').value);
    if (body.draws > 0 && $('#total-effects').checked) body.total_effects = true;
  }
  try {
    const { data } = await api('POST', '/api/jobs', body);
    state.job = data;
    $('#results').replaceChildren();
    pollJob();
  } catch (e) {
    toast(e.message, true);
  }
}

async function cancelJob() {
  if (state.job) await api('DELETE', `/api/jobs/${state.job.id}`);
}

async function pollJob() {
  const job = state.job;
  if (!job) return;
  const { data } = await api('GET', `/api/jobs/${job.id}`);
  if (state.job !== job) return;
  const running = data.state === 'running';
  $('#start').disabled = running;
  $('#cancel').hidden = !running;
  const bar = $('#progress');
  bar.hidden = !running;
  if (data.total) { bar.max = data.total; bar.value = data.done; }
  $('#job-state').textContent = running ? `${data.stage}…` : data.state === 'done' ? '' : `${data.state}: ${data.error}`;
  $('#job-state').dataset.state = data.state;
  if (running) {
    setTimeout(pollJob, 150);
    return;
  }
  if (data.state === 'done') showResult(job.id, data.kind, data.draws > 0);
}

function figure(metric, x, signed = false) {
  const text = /rate|share/.test(metric) ? percent(x) : Number(x).toPrecision(4);
  return signed && x > 0 ? `+${text}` : text;
}

// A comparison's answer as the HTML report's answer cards say it (GET /api/jobs/ID/answer):
// the sentences, then per future state each headline figure's difference, better, worse or
// within the noise, with its paired 95% interval.
function answerCards(answer, id, sentences = true) {
  return el('section', { class: 'answer-cards', id },
    sentences ? el('ul', { class: 'answer sentences' }, answer.answer.map((x) => el('li', {}, x))) : null,
    answer.states.map((st) => el('div', { class: 'verdict', 'data-state': st.index, style: `border-top-color:${st.colour}` },
      el('h4', {}, st.label),
      el('ul', {}, st.figures.map((f) => el('li', {
        'data-metric': f.metric, 'data-verdict': f.verdict, 'data-difference': f.difference,
      },
      el('span', { class: 'figure' }, f.label), ' ', el('b', {}, f.text), ' ',
      el('span', { class: `tag ${f.verdict.replaceAll(' ', '-')}` }, f.verdict),
      el('span', { class: 'ci' }, `${f.over_draws_text === undefined ? '' : 'Simulation noise: '}95% interval ${f.interval}; ${f.better} is better`),
      f.over_draws_text === undefined ? null : el('span', { class: 'ci over-draws', 'data-over-draws': JSON.stringify(f.over_draws), 'data-probability': f.probability_better },
        `Over the uncertain inputs, 95% of the draws give ${f.over_draws_text}` +
        (f.probability_text ? `; better in ${f.probability_text} of them` : ''))))))),
    el('p', { class: 'hint' }, `On the same ${answer.agents.toLocaleString('en')} agents. ${answer.method || ''}`));
}

let drawing = null;  // the charts drawn by the report's code, disposed before the next results

// The results as the HTML report shows them: the answer first, the figures, then the report's
// charts (emotion curve, flows, funnel, ...) drawn by its own code (report_charts.js) from
// GET /api/jobs/ID/charts; the full report a link away.
// A calendar journey's results (`cjsim run/compare --json` of a journey with a calendar) as
// tables: the comparison's differences figure by figure, then each state's figures, its
// resources and its days.
const CALENDAR_LISTS = [['resources', 'Resources'], ['personas', 'Personas'], ['days', 'Days']];

function calendarValue(x) {
  if (typeof x === 'number') return Number.isInteger(x) ? x.toLocaleString('en') : x.toPrecision(4);
  if (x === null || x === undefined) return '';
  return typeof x === 'object' ? '' : String(x);
}

function calendarTables(summary, prefix) {
  const rows = Object.keys(summary).filter((k) => typeof summary[k] === 'number' && !k.endsWith('_ci'));
  const parts = [el('table', { class: 'results calendar-figures', id: `${prefix}-figures` },
    el('tr', {}, ['Figure', 'Value', '95% interval'].map((h) => el('th', {}, h))),
    rows.map((k) => el('tr', { 'data-figure': k, 'data-value': summary[k] },
      el('td', {}, k.replaceAll('_', ' ')), el('td', {}, calendarValue(summary[k])),
      el('td', {}, Array.isArray(summary[`${k}_ci`]) ? summary[`${k}_ci`].map(calendarValue).join(' to ') : ''))))];
  for (const [key, title] of CALENDAR_LISTS) {
    const list = summary[key];
    if (!Array.isArray(list) || !list.length) continue;
    const columns = Object.keys(list[0]).filter((c) => !c.endsWith('_ci') && typeof list[0][c] !== 'object');
    parts.push(el('h4', {}, title), el('table', { class: 'results', id: `${prefix}-${key}`, 'data-list': key },
      el('tr', {}, columns.map((c) => el('th', {}, c.replaceAll('_', ' ')))),
      list.map((item) => el('tr', {}, columns.map((c) => el('td', { 'data-column': c, 'data-value': item[c] }, calendarValue(item[c])))))));
  }
  return parts;
}

function showCalendarResult(id, data) {
  const parts = [];
  if (Array.isArray(data.differences)) {
    for (const [k, d] of data.differences.entries()) {
      parts.push(el('h4', {}, `${d.future} against ${d.current}`),
        el('table', { class: 'results', id: `calendar-differences-${k}` },
          el('tr', {}, ['Figure', 'Resource', 'Current', 'Future', 'Difference', '95% interval', ''].map((h) => el('th', {}, h))),
          d.figures.map((f) => el('tr', {
            'data-figure': f.figure, 'data-resource': f.resource || '', 'data-current': f.current,
            'data-future': f.future, 'data-difference': f.difference,
          },
          el('td', {}, f.figure.replaceAll('_', ' ')), el('td', {}, f.resource || ''),
          el('td', {}, calendarValue(f.current)), el('td', {}, calendarValue(f.future)),
          el('td', {}, calendarValue(f.difference)),
          el('td', {}, Array.isArray(f.difference_ci) ? f.difference_ci.map(calendarValue).join(' to ') : ''),
          el('td', {}, f.significant ? 'beyond the noise' : 'within the noise')))));
    }
    for (const [k, summary] of data.scenarios.entries()) {
      parts.push(el('details', { class: 'calendar-state' }, el('summary', {}, summary.name || `state ${k}`),
        calendarTables(summary, `calendar-${k}`)));
    }
  } else {
    parts.push(...calendarTables(data, 'calendar'));
  }
  parts.push(el('div', { class: 'toolbar' },
    el('button', { class: 'secondary', id: 'save-result', onclick: () => saveResult(id) }, 'Save results (.h5)'),
    el('span', { class: 'hint' }, 'A calendar journey: its arrivals decide how many agents there are.')));
  $('#results').replaceChildren(el('div', { id: 'calendar-results' }, parts));
}

// How sure the answer is, when the uncertain inputs were drawn (GET /api/jobs/ID/answer's
// "uncertainty"): the report's sentences of "How sure it is", what was drawn, then per figure
// ranked the inputs by how much of its uncertainty they explain, with the report's own chart
// of the indices (the chart data's specs marked "sensitivity").
function howSure(answer, sentences) {
  const u = answer.uncertainty;
  return el('section', { id: 'how-sure', class: 'how-sure' },
    el('h3', {}, 'How sure it is'),
    el('ul', { class: 'answer sentences', id: 'how-sure-sentences' }, sentences.map((x) => el('li', {}, x))),
    el('p', { class: 'hint' },
      `The ${u.inputs.length} input${u.inputs.length === 1 ? '' : 's'} written as distributions were drawn ${u.draws} times ` +
      `(a ${u.design}; ${u.runs} runs on the same agents besides the one at the inputs' means). Every figure has two ` +
      'intervals: the simulation\'s own noise, and the range 95% of the draws fall in: what the world may be, given the guesses.'));
}

function sensitivitySection(answer, label) {
  const u = answer.uncertainty;
  return el('section', { id: 'sensitivity', class: 'sensitivity' },
    el('h3', {}, 'Which guess matters most'),
    u.sensitivity.map((target) => el('div', { class: 'sensitivity-target', 'data-index': target.index },
      el('h4', {}, target.index === 0 ? label(target.figure) : `The gain of ${target.label} in ${label(target.figure).toLowerCase()}`),
      el('div', { class: 'chart-box sensitivity-chart', 'data-index': target.index }),
      el('ol', { class: 'ranking' }, target.inputs.map((i) => el('li', {
        'data-path': i.path, 'data-first-order': i.first_order, 'data-total': i.total,
      }, el('span', {}, i.words), ' ', el('b', {}, i.text), el('span', { class: 'ci' }, i.distribution)))))),
    el('p', { class: 'hint' }, `Sensitivity: ${u.estimator}.`));
}

function metricLabel(metric) {
  const words = metric.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function showResult(id, kind, draws = false) {
  if (state.lastJourney && state.lastJourney.calendar) {
    if (drawing) { drawing.dispose(); drawing = null; }
    return showCalendarResult(id, (await api('GET', `/api/jobs/${id}/result`)).data);
  }
  const [{ data }, { data: specs }] = await Promise.all([
    api('GET', `/api/jobs/${id}/result`), api('GET', `/api/jobs/${id}/charts`)]);
  const answer = kind === 'compare' || draws ? (await api('GET', `/api/jobs/${id}/answer`)).data : null;
  const uncertain = answer && answer.uncertainty;
  const results = $('#results');
  if (drawing) { drawing.dispose(); drawing = null; }
  const parts = [];
  if (uncertain) parts.push(howSure(answer, uncertain.sentences));
  if (kind === 'compare') {
    parts.push(el('p', { class: 'answer', id: 'answer' }, data.answer.join(' ')), answerCards(answer, 'answer-cards', false));
    const rows = data.differences.filter((d) => d.scope === 'overall');
    parts.push(el('table', { class: 'results', id: 'differences' },
      el('tr', {}, ['Figure', 'Current', 'Future', 'Difference', '95% interval'].map((h) => el('th', {}, h))),
      rows.map((d) => el('tr', {
        'data-metric': d.metric, 'data-scenario-index': d.scenario_index,
        'data-current': d.current, 'data-future': d.future, 'data-difference': d.difference,
      },
      el('td', {}, d.metric.replaceAll('_', ' ')), el('td', {}, figure(d.metric, d.current)),
      el('td', {}, figure(d.metric, d.future)), el('td', {}, figure(d.metric, d.difference, true)),
      el('td', {}, `${figure(d.metric, d.ci[0])} to ${figure(d.metric, d.ci[1])}`)))));
  } else if (uncertain) {
    parts.push(el('table', { class: 'results', id: 'figures' },
      el('tr', {}, ['Figure', 'At the means', 'Simulation noise', 'Over the draws'].map((h) => el('th', {}, h))),
      answer.run.figures.map((f) => el('tr', { 'data-metric': f.metric, 'data-value': f.value, 'data-over-draws': JSON.stringify(f.over_draws) },
        el('td', {}, f.label), el('td', {}, f.text), el('td', {}, f.interval), el('td', {}, f.over_draws_text)))));
  } else {
    const keys = ['conversion_rate', 'nps', 'revenue_per_agent', 'cost_per_agent', 'touchpoints_per_agent'];
    parts.push(el('table', { class: 'results', id: 'figures' },
      keys.filter((k) => typeof data[k] === 'number').map((k) => el('tr', { 'data-metric': k, 'data-value': data[k] },
        el('td', {}, k.replaceAll('_', ' ')), el('td', {}, figure(k, data[k]))))));
  }
  parts.push(el('div', { class: 'toolbar' },
    el('button', { class: 'secondary', id: 'save-result', onclick: () => saveResult(id) }, 'Save results (.h5)'),
    el('a', { href: `/api/jobs/${id}/report`, id: 'open-report', target: '_blank', rel: 'noopener' }, 'Open the full HTML report'),
    el('a', { href: `/api/jobs/${id}/report?download=1`, id: 'export' }, 'Download it')));
  // One container per chart, ids of the page's own (the report's are chart-1, ...); the
  // sensitivity charts go with their ranking.
  const ranking = uncertain ? sensitivitySection(answer, metricLabel) : null;
  if (ranking) parts.push(ranking);
  const charts = el('div', { id: 'result-charts' });
  for (const spec of specs) {
    spec.id = `result-${spec.id}`;
    const div = el('div', { id: spec.id, class: 'chart result-chart', style: `height:${spec.height}px` });
    const place = ranking && spec.sensitivity !== undefined
      ? ranking.querySelector(`.sensitivity-chart[data-index="${spec.sensitivity}"]`) : null;
    if (place) place.append(div);
    else charts.append(el('div', { class: spec.sankey ? 'chart-box sankey' : 'chart-box' }, div));
  }
  parts.push(charts);
  results.replaceChildren(...parts);
  const errors = [];
  drawing = window.cjsimDrawCharts(specs, { errors, animation: false });
  if (errors.length) toast(errors.join('; '), true);
}

async function saveResult(id) {
  const suggestion = state.file.path.replace(/\.(ya?ml|json)$/, '') + '.h5';
  const path = prompt('Save the results as (a .h5 file in the folder):', suggestion);
  if (!path) return;
  let { status, data } = await api('POST', `/api/jobs/${id}/save`, { path });
  if (status === 409 && confirm(`${data.error}\n\nReplace it?`)) {
    ({ status, data } = await api('POST', `/api/jobs/${id}/save`, { path, force: true }));
  }
  if (status === 200) {
    toast(`saved ${data.path}`);
    loadFiles();
  }
}

window.addEventListener('beforeunload', (e) => {
  if (state.file && state.text !== state.saved) e.preventDefault();
});
$('#show-files').addEventListener('click', () => $('#files').classList.toggle('shown'));
window.addEventListener('resize', () => {
  if (drawing) drawing.resize();
  const box = $('#emotion-chart');
  if (box && typeof echarts !== 'undefined' && echarts.getInstanceByDom(box)) echarts.getInstanceByDom(box).resize();
});
loadFiles().catch((e) => toast(e.message, true));
window.addEventListener('unhandledrejection', (e) => toast(String(e.reason && e.reason.message || e.reason), true));
