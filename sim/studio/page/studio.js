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
async function openFile(path) {
  if (state.text !== state.saved && !confirm(`${state.file.path} has unsaved edits. Leave them?`)) return;
  const { data } = await api('GET', `/api/file?path=${encodeURIComponent(path)}`);
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
    const { data } = await api('POST', '/api/changes', { path: state.file.path, text: state.text, changes });
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
      el('h3', {}, 'Journey map'),
      el('div', { class: 'map', id: 'map' }),
      el('div', { class: 'chart', id: 'emotion-chart', role: 'img', 'aria-label': 'Emotion curve' })),
    el('section', { id: 'run-section' }),
    el('details', {}, el('summary', {}, 'Text'),
      el('textarea', { id: 'source', spellcheck: 'false', oninput: (e) => edited(e.target.value) })),
  );
  $('#source').value = state.text;
  renderSaveState();
  renderMessages();
  renderFuture();
  renderMap();
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
  map.replaceChildren(...journey.stages.map((stage) => el('div', { class: 'stage', 'data-stage': stage },
    el('h3', {}, stage),
    journey.touchpoints.map((t, index) => t.stage !== stage ? null : el('button', {
      class: `card${t.emotion.mean < -0.05 ? ' pain' : t.emotion.mean > 0.3 ? ' delight' : ''}` +
        `${t.conversion ? ' conversion' : ''}` +
        `${state.selected && state.selected.type === 'touchpoint' && state.selected.id === t.id ? ' selected' : ''}`,
      'data-touchpoint': t.id,
      onclick: () => { state.selected = { type: 'touchpoint', id: t.id }; renderMap(); renderPanel(); },
    },
    el('div', { class: 'name' }, t.name),
    el('div', { class: 'numbers' },
      el('span', {}, t.channel),
      el('span', { 'data-field': 'dropout' }, `dropout ${percent(t.dropout)}`),
      el('span', {}, `emotion ${t.emotion.mean >= 0 ? '+' : ''}${t.emotion.mean.toFixed(2)}`),
      t.cost ? el('span', {}, `cost ${t.cost}`) : null,
      t.conversion ? el('span', {}, `value ${t.value}`) : null)))),
  ));
  drawEmotionCurve(journey);
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

// The edit panel: the selected touchpoint's numbers, or the settings and personas.
const TOUCHPOINT_FIELDS = [
  ['dropout', 'Dropout', 'dropout'], ['emotion.mean', 'Emotion (mean)', 'mean'],
  ['emotion.sd', 'Emotion (sd)', 'sd'], ['cost', 'Cost', 'cost'],
  ['entry_weight', 'Entry weight', 'entry_weight'],
];

function fieldValue(t, field) {
  return field === 'emotion.mean' ? t.emotion.mean : field === 'emotion.sd' ? t.emotion.sd : t[field];
}

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
  if (active && panel.contains(active) && active.tagName === 'INPUT') return;  // typing there
  const isFuture = state.file.kind === 'future_state';
  // A journey's number is edited in its text; a future state's becomes a change on its base.
  const numberField = (label, value, attributes, edit, change) => {
    const input = el('input', { type: 'number', step: 'any', value, 'aria-label': label, ...attributes });
    if (isFuture) input.addEventListener('change', () => addChange(change(Number(input.value))));
    else input.addEventListener('input', () => edit(input.value));
    return el('label', { class: 'field' }, label, input);
  };
  const selected = state.selected && journey.touchpoints.find((t) => t.id === state.selected.id);
  const parts = [];
  if (selected) {
    parts.push(el('h3', {}, selected.name), el('p', { class: 'hint' },
      isFuture ? 'A new value here is added as a change of this future state.'
        : 'Edits change the file\'s text; messages show as you type.'));
    for (const [field, label, key] of TOUCHPOINT_FIELDS) {
      parts.push(numberField(label, fieldValue(selected, field), { name: field, 'data-field': field },
        (raw) => editFieldAt(selected, `${selected.id}'s`, field, key, raw),
        (v) => ({ update_touchpoint: field.startsWith('emotion.') ? { id: selected.id, emotion: { [key]: v } }
          : { id: selected.id, [key]: v } })));
    }
    const out = journey.transitions.filter((t) => t.from === selected.id);
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
  } else {
    parts.push(el('h3', {}, journey.name), el('p', {}, journey.description || ''),
      el('p', { class: 'hint' }, 'Click a touchpoint card to edit it.'));
  }
  parts.push(el('h3', {}, 'Settings'));
  for (const key of ['memory', 'kappa']) {
    parts.push(numberField(key, journey.settings[key], { 'data-setting': key },
      (raw) => editFieldAt(journey.settings, 'the settings\'', key, key, raw),
      (v) => ({ update_settings: { [key]: v } })));
  }
  parts.push(el('h3', {}, 'Personas'));
  for (const p of journey.personas) {
    parts.push(el('p', { class: 'summary' }, p.id));
    for (const [key, label] of [['share', 'Share'], ['sensitivity', 'Sensitivity'], ['dropout_odds', 'Dropout odds']]) {
      parts.push(numberField(label, p[key], { 'data-persona': p.id, 'data-field': key },
        (raw) => editFieldAt(p, `${p.id}'s`, key, key, raw),
        (v) => ({ update_persona: { id: p.id, [key]: v } })));
    }
  }
  panel.replaceChildren(...parts);
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

// ---- runs and comparisons ----------------------------------------------------------------
function renderRun() {
  const section = $('#run-section');
  const isFuture = state.file.kind === 'future_state';
  section.replaceChildren(
    el('h3', {}, isFuture ? 'Compare with the base' : 'Run'),
    el('div', { class: 'toolbar' },
      el('label', {}, 'Agents', el('input', { type: 'number', id: 'agents', value: '100000', min: '1', step: '1' })),
      el('label', {}, 'Seed', el('input', { type: 'number', id: 'seed', placeholder: 'the file\'s', min: '0', step: '1' })),
      el('button', { class: 'primary', id: 'start', onclick: startJob }, isFuture ? 'Compare' : 'Run'),
      el('button', { class: 'secondary', id: 'cancel', hidden: true, onclick: cancelJob }, 'Cancel'),
      el('progress', { id: 'progress', max: '1', value: '0', hidden: true }),
      el('span', { id: 'job-state', class: 'hint' })),
    el('div', { id: 'results' }));
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
  if (data.state === 'done') showResult(job.id, data.kind);
}

function figure(metric, x, signed = false) {
  const text = /rate|share/.test(metric) ? percent(x) : Number(x).toPrecision(4);
  return signed && x > 0 ? `+${text}` : text;
}

async function showResult(id, kind) {
  const { data } = await api('GET', `/api/jobs/${id}/result`);
  const results = $('#results');
  const parts = [];
  if (kind === 'compare') {
    parts.push(el('p', { class: 'answer', id: 'answer' }, data.answer.join(' ')));
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
  } else {
    const keys = ['conversion_rate', 'nps', 'revenue_per_agent', 'cost_per_agent', 'touchpoints_per_agent'];
    parts.push(el('table', { class: 'results', id: 'figures' },
      keys.filter((k) => typeof data[k] === 'number').map((k) => el('tr', { 'data-metric': k, 'data-value': data[k] },
        el('td', {}, k.replaceAll('_', ' ')), el('td', {}, figure(k, data[k]))))));
  }
  parts.push(el('div', { class: 'toolbar' },
    el('button', { class: 'secondary', id: 'save-result', onclick: () => saveResult(id) }, 'Save results (.h5)'),
    el('a', { href: `/api/jobs/${id}/report?download=1`, id: 'export' }, 'Export the HTML report')));
  // The results as the HTML report draws them (reports/html), the report itself in a frame.
  parts.push(el('iframe', { class: 'report', id: 'report', title: 'The HTML report', src: `/api/jobs/${id}/report` }));
  results.replaceChildren(...parts);
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
  const box = $('#emotion-chart');
  if (box && typeof echarts !== 'undefined' && echarts.getInstanceByDom(box)) echarts.getInstanceByDom(box).resize();
});
loadFiles().catch((e) => toast(e.message, true));
window.addEventListener('unhandledrejection', (e) => toast(String(e.reason && e.reason.message || e.reason), true));
