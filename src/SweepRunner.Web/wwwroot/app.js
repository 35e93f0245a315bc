// SweepRunner scoring page: gallery, blind, pairwise and ratings views over the JSON API.
// No libraries, nothing fetched from outside this server.
'use strict';

// With a token, the server keeps it in an HttpOnly cookie that the browser sends with every call and image:
// no address the page builds carries it.
const $ = id => document.getElementById(id);
const state = { sweep: null, mode: 'gallery', scorer: localStorage.getItem('sweeprunner.scorer') || '', tiles: [], current: 0, blind: [], pair: null, busy: false, baseline: null };

async function api(path, body) {
  const headers = {};
  const init = { headers, credentials: 'same-origin' };
  if (body !== undefined) { init.method = 'POST'; headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.error) || response.status + ' ' + response.statusText);
  return data;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// Saves go out one after another, so that two quick scores of one preview land in the order given
// (scores are append-only and the latest counts).
let saving = Promise.resolve();
function inOrder(send) { const next = saving.then(send, send); saving = next.catch(() => {}); return next; }

function say(message, failed) { const status = $('status'); status.textContent = message; status.className = failed ? 'failed' : ''; }
function fmt(value) { return value === null || value === undefined ? '–' : (Math.round(value * 10) / 10).toString(); }
function scoreOfKey(key) { return /^[0-9]$/.test(key) ? Number(key) * 10 : (key === '=' || key === 'h') ? 100 : null; }
function ready() { document.body.dataset.state = 'ready'; }

// ---- scorer's name -------------------------------------------------------------------------------------------
function askName() {
  $('name-dialog').hidden = false;
  $('name-input').value = state.scorer;
  $('name-input').focus();
}
$('name-form').addEventListener('submit', event => {
  event.preventDefault();
  const name = $('name-input').value.trim();
  if (!name) return;
  state.scorer = name;
  localStorage.setItem('sweeprunner.scorer', name);
  $('name-dialog').hidden = true;
  $('scorer-name').textContent = name;
  show();
});
$('change-name').addEventListener('click', askName);

// ---- sweeps and modes ----------------------------------------------------------------------------------------
async function loadSweeps() {
  const sweeps = await api('/api/sweeps');
  const select = $('sweep');
  select.replaceChildren(...sweeps.map(sweep => el('option', { value: sweep.name }, `${sweep.name} (${sweep.jobCount} jobs)`)));
  const saved = localStorage.getItem('sweeprunner.sweep');
  const pick = sweeps.find(sweep => sweep.name === saved) || sweeps[sweeps.length - 1];
  state.sweep = pick ? pick.name : null;
  if (pick) select.value = pick.name;
}
$('sweep').addEventListener('change', () => { state.sweep = $('sweep').value; localStorage.setItem('sweeprunner.sweep', state.sweep); show(); });
window.addEventListener('hashchange', show);

async function show() {
  document.body.dataset.state = 'loading';
  state.mode = (location.hash || '#gallery').slice(1);
  document.body.dataset.mode = state.mode;
  for (const link of document.querySelectorAll('#modes a')) link.classList.toggle('active', link.dataset.mode === state.mode);
  closeZoom();
  const view = $('view');
  if (!state.sweep) { view.replaceChildren(el('p', { class: 'empty' }, 'No sweep in this results folder yet. Plan or run one, then reload.')); ready(); return; }
  if (!state.scorer && state.mode !== 'ratings') { askName(); return; }
  try {
    if (state.mode === 'blind') await showBlind(view);
    else if (state.mode === 'pairwise') await showPair(view);
    else if (state.mode === 'ratings') await showRatings(view);
    else await showGallery(view);
    ready();
  } catch (error) { say(error.message, true); view.replaceChildren(el('p', { class: 'empty' }, error.message)); ready(); }
}

// ---- gallery -------------------------------------------------------------------------------------------------
// "CLIP-I 0.812 · DINO 0.654 · CLIP-T 0.301"; the model's short hash only when one metric has several models.
function autoText(scores) {
  if (!scores || scores.length === 0) return '';
  const several = m => scores.filter(s => s.metric === m).length > 1;
  return scores.map(s => `${s.metric}${several(s.metric) ? ' (' + s.model + ')' : ''} ${s.value.toFixed(3)}`).join(' · ');
}

function tile(job, preview, navigable) {
  const badge = el('span', { class: 'badge' }, preview.myScore === null ? '' : fmt(preview.myScore));
  const auto = autoText(preview.autoScores);
  const node = el('figure', { class: 'tile' + (navigable ? '' : ' ref'), 'data-id': preview.id, title: `${job.label} · epoch ${preview.epoch} · prompt ${preview.promptIndex}: ${preview.prompt} (seed ${preview.seed})` },
    el('img', { src: preview.url, alt: preview.prompt, loading: 'lazy' }), badge, auto ? el('figcaption', { class: 'auto' }, auto) : null);
  if (navigable) {
    node.preview = preview;
    node.job = job;
    node.badge = badge;
    // A click or tap selects; on the selected preview it zooms. Scores then come from the bar below or the keys.
    node.addEventListener('click', () => {
      const index = state.tiles.indexOf(node);
      if (index === state.current && node.classList.contains('current')) openZoom(); else select(index);
    });
  }
  return node;
}

// A job's previews: a row per epoch, a column per prompt. `like` (another job) picks the rows and columns,
// so that the baseline's grid beside a job lines up with it.
function grid(job, navigable, like) {
  const shape = like && like.previews.length > 0 ? like : job;
  const epochs = [...new Set(shape.previews.map(p => p.epoch))].sort((a, b) => a - b);
  const prompts = [...new Set(shape.previews.map(p => p.promptIndex))].sort((a, b) => a - b);
  if (epochs.length === 0) return el('p', { class: 'empty' }, `no previews yet (${job.state})`);
  const promptText = p => (shape.previews.find(x => x.promptIndex === p) || {}).prompt || `prompt ${p}`;
  const head = el('tr', null, el('th'), prompts.map(p => el('th', { class: 'prompt', title: `prompt ${p}` }, promptText(p))));
  const rows = epochs.map(epoch => el('tr', null, el('th', null, `epoch ${epoch}`),
    prompts.map(p => { const preview = job.previews.find(x => x.epoch === epoch && x.promptIndex === p); return el('td', null, preview ? tile(job, preview, navigable) : ''); })));
  return el('table', { class: 'grid' }, head, rows);
}

async function showGallery(view) {
  const gallery = await api(`/api/sweeps/${encodeURIComponent(state.sweep)}/gallery?scorer=${encodeURIComponent(state.scorer)}`);
  const baseline = gallery.jobs.find(job => job.isBaseline) || null;
  state.baseline = baseline;
  const beside = localStorage.getItem('sweeprunner.beside') === '1';
  const toggle = el('label', null, el('input', { type: 'checkbox', id: 'beside', ...(beside ? { checked: '' } : {}), onchange: e => { localStorage.setItem('sweeprunner.beside', e.target.checked ? '1' : '0'); show(); } }), ' show the baseline beside each job');
  const sections = gallery.jobs.map(job => {
    const body = beside && baseline && job !== baseline
      ? el('div', { class: 'pair-of-grids' },
          el('div', null, el('div', { class: 'grid-title' }, job.label), grid(job, true)),
          el('div', null, el('div', { class: 'grid-title' }, `baseline (${baseline.label})`), grid(baseline, false, job)))
      : grid(job, true);
    return el('section', { class: 'job', 'data-label': job.label },
      el('h2', null, el('span', { class: 'label' }, job.label), job.title !== job.label ? ' ' + job.title : null,
        el('span', { class: 'state' }, job.state), job.duplicateOf ? el('span', { class: 'state' }, `same job as ${job.duplicateOf}`) : null),
      body);
  });
  view.replaceChildren(el('p', null, baseline ? `Baseline: ${baseline.label}. ` : 'No baseline (a job with no changed settings) in this sweep. ', toggle), ...sections);
  sizeTiles(gallery, beside && baseline);
  state.tiles = [...view.querySelectorAll('.tile:not(.ref)')];
  select(Math.min(state.current, Math.max(0, state.tiles.length - 1)));
}

// Thumbnails use the width: the widest grid's columns (both grids' when the baseline is beside) share the view,
// between 96 and 320 pixels each.
function sizeTiles(gallery, beside) {
  const columns = Math.max(1, ...gallery.jobs.map(job => new Set(job.previews.map(p => p.promptIndex)).size)) * (beside ? 2 : 1);
  const room = $('view').clientWidth - (beside ? 220 : 140);
  const size = Math.max(96, Math.min(320, Math.floor(room / columns) - 12));
  document.documentElement.style.setProperty('--tile', size + 'px');
}

function select(index) {
  if (state.tiles.length === 0) return;
  state.tiles[state.current]?.classList.remove('current');
  state.current = Math.max(0, Math.min(index, state.tiles.length - 1));
  const node = state.tiles[state.current];
  node.classList.add('current');
  node.scrollIntoView({ block: 'nearest' });
  $('note').value = node.preview.myNote || '';
  if (!$('zoom').hidden) openZoom();
}

function moveVertically(direction) {
  const from = state.tiles[state.current].getBoundingClientRect();
  let best = -1, bestDistance = Infinity;
  state.tiles.forEach((node, index) => {
    const rect = node.getBoundingClientRect();
    const dy = (rect.top - from.top) * direction;
    if (dy <= 4) return;
    const distance = dy * 4 + Math.abs(rect.left - from.left);
    if (distance < bestDistance) { bestDistance = distance; best = index; }
  });
  if (best >= 0) select(best);
}

function openZoom() {
  const node = state.tiles[state.current];
  if (!node) return;
  const preview = node.preview;
  const job = node.job;
  const named = job.title && job.title !== job.label ? `${job.label} (${job.title})` : job.label;
  const figures = [el('figure', null, el('img', { src: preview.url, alt: preview.prompt }), el('figcaption', null, `${named} · epoch ${preview.epoch} · ${preview.prompt}`))];
  const base = state.baseline && state.baseline.previews.find(p => p.epoch === preview.epoch && p.promptIndex === preview.promptIndex);
  if (base && base.id !== preview.id) figures.push(el('figure', null, el('img', { src: base.url, alt: base.prompt }), el('figcaption', null, `baseline (${state.baseline.label})`)));
  $('zoom-images').replaceChildren(...figures);
  $('zoom').hidden = false;
}
function closeZoom() { $('zoom').hidden = true; }
$('zoom').addEventListener('click', closeZoom);

async function scoreGallery(value) {
  const node = state.tiles[state.current];
  if (!node) return;
  const preview = node.preview;
  const note = $('note').value.trim();
  node.badge.textContent = fmt(value) + ' …';
  node.badge.className = 'badge';
  try {
    await inOrder(() => api(`/api/sweeps/${encodeURIComponent(state.sweep)}/scores`, { previewId: preview.id, scorer: state.scorer, value, blind: false, note: note || null }));
    preview.myScore = value; preview.myNote = note || null;
    node.badge.textContent = fmt(value) + ' ✓'; node.badge.className = 'badge saved';
    say(`saved ${fmt(value)} for preview ${preview.id}`);
  } catch (error) { node.badge.textContent = '!'; node.badge.className = 'badge failed'; say(error.message, true); }
}

// ---- blind ---------------------------------------------------------------------------------------------------
async function showBlind(view) {
  const queue = await api(`/api/sweeps/${encodeURIComponent(state.sweep)}/blind?scorer=${encodeURIComponent(state.scorer)}`);
  state.blind = queue.items;
  const first = state.blind.findIndex(item => item.myScore === null);
  state.current = first >= 0 ? first : 0;
  renderBlind(view);
}

function renderBlind(view = $('view')) {
  if (state.blind.length === 0) { view.replaceChildren(el('p', { class: 'empty' }, 'No previews yet. Reload when the sweep has made some.')); return; }
  const item = state.blind[state.current];
  const scored = state.blind.filter(i => i.myScore !== null).length;
  const auto = autoText(item.autoScores);
  const reveal = item.label
    ? el('p', { class: 'reveal' }, 'you gave ', el('b', null, fmt(item.myScore)), ' · this was ', el('span', { class: 'label' }, item.label), ' ', item.title,
      auto ? el('span', { class: 'auto' }, ' · automatic: ' + auto) : null)
    : el('p', { class: 'reveal' }, 'settings hidden until you score this preview');
  $('note').value = item.myNote || '';
  view.replaceChildren(el('div', { class: 'blind' },
    el('p', null, `Blind scoring: preview ${state.current + 1} of ${state.blind.length}, ${scored} scored. Previews are shuffled; settings show after you score.`),
    el('p', { class: 'prompt-text' }, item.prompt),
    el('figure', { class: 'tile current', 'data-id': item.id }, el('img', { src: item.url, alt: 'preview' })),
    reveal));
}

async function scoreBlind(value) {
  const item = state.blind[state.current];
  if (!item) return;
  const note = $('note').value.trim();
  const before = { myScore: item.myScore, myNote: item.myNote };
  Object.assign(item, { myScore: value, myNote: note || null });
  try {
    const saved = await inOrder(() => api(`/api/sweeps/${encodeURIComponent(state.sweep)}/scores`, { previewId: item.id, scorer: state.scorer, value, blind: true, note: note || null }));
    Object.assign(item, { label: saved.label, title: saved.title, autoScores: saved.autoScores });
    say(`saved ${fmt(value)}: that was ${saved.label} (${saved.title})`);
    if (state.blind[state.current] === item) renderBlind();
  } catch (error) { Object.assign(item, before); say(error.message, true); }
}

function advanceBlind() {
  const next = state.blind.findIndex((item, index) => index > state.current && item.myScore === null);
  state.current = next >= 0 ? next : Math.min(state.current + 1, state.blind.length - 1);
  renderBlind();
}

// ---- pairwise ------------------------------------------------------------------------------------------------
async function showPair(view, skipped) {
  const skip = skipped ? `&skip=${skipped.left.id},${skipped.right.id}` : '';
  state.pair = await api(`/api/sweeps/${encodeURIComponent(state.sweep)}/pair?scorer=${encodeURIComponent(state.scorer)}${skip}`);
  const pair = state.pair;
  if (!pair.left) { view.replaceChildren(el('p', { class: 'empty' }, pair.message)); return; }
  const side = (preview, key, name) => el('div', { class: 'side', 'data-side': name, 'data-id': preview.id, onclick: () => choose(name) },
    el('img', { src: preview.url, alt: name + ' preview' }), el('p', null, el('kbd', null, key), ` pick ${name}`));
  const reference = pair.referenceUrl
    ? el('figure', { class: 'reference' }, el('img', { src: pair.referenceUrl, alt: 'a training image' }), el('figcaption', null, 'the subject: a training image'))
    : el('p', { class: 'reference' }, 'no training image on record for this job');
  view.replaceChildren(el('div', { class: 'pairwise' },
    el('p', null, 'Which is closer to the subject? ', el('i', null, pair.prompt), ` · epoch ${pair.epoch} · ${pair.choicesMade} choices made`),
    reference,
    el('div', { class: 'sides' }, side(pair.left, '← or 1', 'left'), side(pair.right, '→ or 2', 'right')),
    el('div', { class: 'choices' },
      el('button', { type: 'button', id: 'tie', onclick: () => choose('tie') }, 'equally close (tie) ', el('kbd', null, 't')),
      el('button', { type: 'button', id: 'skip', onclick: () => skipPair() }, 'skip ', el('kbd', null, 's')))));
}

async function choose(name) {
  const pair = state.pair;
  if (!pair || !pair.left || state.busy) return;
  state.busy = true;
  document.body.dataset.state = 'loading';
  try {
    const body = { leftId: pair.left.id, rightId: pair.right.id, scorer: state.scorer };
    if (name === 'tie') body.tie = true; else body.chosenId = name === 'left' ? pair.left.id : pair.right.id;
    const saved = await api(`/api/sweeps/${encodeURIComponent(state.sweep)}/pairwise`, body);
    say(saved.tie ? `saved: ${saved.winnerLabel} and ${saved.loserLabel} equally close` : `saved: ${saved.winnerLabel} over ${saved.loserLabel}`);
    await showPair($('view'));
  } catch (error) { say(error.message, true); } finally { state.busy = false; ready(); }
}

// Nothing is recorded; the next pair is another one when there is another.
async function skipPair() {
  const pair = state.pair;
  if (!pair || !pair.left || state.busy) return;
  state.busy = true;
  document.body.dataset.state = 'loading';
  try { await showPair($('view'), pair); say('skipped'); } catch (error) { say(error.message, true); } finally { state.busy = false; ready(); }
}

// ---- ratings -------------------------------------------------------------------------------------------------
async function showRatings(view) {
  const ratings = await api(`/api/sweeps/${encodeURIComponent(state.sweep)}/ratings`);
  const score = job => job.directStandardError === null ? fmt(job.directMean) : `${fmt(job.directMean)} ± ${fmt(job.directStandardError)}`;
  const rows = ratings.jobs.map(job => el('tr', { 'data-label': job.label },
    el('td', null, el('span', { class: 'label' }, job.label)), el('td', null, job.title), el('td', null, job.state),
    el('td', { class: 'num score' }, score(job)), el('td', { class: 'num' }, String(job.directCount)), el('td', { class: 'num' }, fmt(job.directEpoch)),
    el('td', { class: 'num' }, fmt(job.pairwiseRating)),
    el('td', { class: 'num interval' }, job.pairwiseLow === null ? '–' : `${fmt(job.pairwiseLow)}–${fmt(job.pairwiseHigh)}`),
    el('td', { class: 'num' }, String(job.comparisons))));
  view.replaceChildren(
    el('table', { class: 'ratings' },
      el('tr', null, ['label', 'settings', 'state', 'score (mean ± SE)', 'scores', 'epoch', 'pairwise rating (Bradley–Terry)', '95% interval', 'comparisons'].map(h => el('th', null, h))),
      rows),
    el('p', { class: 'empty' }, 'The score is the one the report and the export give: the latest score per scorer and preview (or per LoRA, for scores given with sweeprunner score) of one epoch per job, the final one when a score judges the final LoRA. The pairwise rating is 100 × the chance of being picked over an average job of this sweep (a tie counts half a win for each); the 95% interval says how sure it is: it narrows with more comparisons.'));
}

// ---- keys ----------------------------------------------------------------------------------------------------
$('note').addEventListener('keydown', event => {
  if (event.key === 'Enter') {
    event.preventDefault();
    $('note').blur();
    const current = state.mode === 'blind' ? state.blind[state.current] : state.tiles[state.current]?.preview;
    if (current && current.myScore !== null && current.myScore !== undefined) {
      if (state.mode === 'blind') scoreBlind(current.myScore); else scoreGallery(current.myScore);
    }
  } else if (event.key === 'Escape') $('note').blur();
});

document.addEventListener('keydown', event => {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.ctrlKey || event.metaKey || event.altKey) return;
  if (!$('name-dialog').hidden) return;
  const key = event.key;
  if (state.mode === 'pairwise') {
    if (key === 'ArrowLeft' || key === '1') { event.preventDefault(); choose('left'); }
    else if (key === 'ArrowRight' || key === '2') { event.preventDefault(); choose('right'); }
    else if (key === 't') { event.preventDefault(); choose('tie'); }
    else if (key === 's') { event.preventDefault(); skipPair(); }
    return;
  }
  if (key === 'n') { event.preventDefault(); $('note').focus(); return; }
  if (key === 'Escape') { closeZoom(); return; }
  const value = scoreOfKey(key);
  if (state.mode === 'blind') {
    if (value !== null) { event.preventDefault(); scoreBlind(value); advanceBlind(); }
    else if (key === 'ArrowRight' || key === 'ArrowDown') { event.preventDefault(); state.current = Math.min(state.current + 1, state.blind.length - 1); renderBlind(); }
    else if (key === 'ArrowLeft' || key === 'ArrowUp') { event.preventDefault(); state.current = Math.max(state.current - 1, 0); renderBlind(); }
    return;
  }
  if (state.mode !== 'gallery') return;
  if (value !== null) { event.preventDefault(); scoreGallery(value); }
  else if (key === 'ArrowRight') { event.preventDefault(); select(state.current + 1); }
  else if (key === 'ArrowLeft') { event.preventDefault(); select(state.current - 1); }
  else if (key === 'ArrowDown') { event.preventDefault(); moveVertically(1); }
  else if (key === 'ArrowUp') { event.preventDefault(); moveVertically(-1); }
  else if (key === 'z' || key === 'Enter') { event.preventDefault(); if ($('zoom').hidden) openZoom(); else closeZoom(); }
});

// ---- score bar: the mouse and touch way to score -------------------------------------------------------------
function scoreCurrent(value) {
  if (state.mode === 'blind') { scoreBlind(value); advanceBlind(); }
  else if (state.mode === 'gallery') scoreGallery(value);
}
$('score-bar').replaceChildren(...Array.from({ length: 11 }, (_, i) => i * 10).map(value =>
  el('button', { type: 'button', 'data-score': value, title: `score ${value}`, onclick: () => scoreCurrent(value) }, String(value))));

(async () => {
  $('scorer-name').textContent = state.scorer || '(nobody yet)';
  try { await loadSweeps(); } catch (error) { say(error.message, true); ready(); return; }
  await show();
})();
