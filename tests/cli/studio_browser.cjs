// Drives the studio in Debian's Chromium through playwright-core (studio_browser.py starts the
// server and checks what this prints): the map's words, edits (an out-of-range value first,
// whose message must show as it is typed), the add/remove forms, saves, the touchpoint graph,
// a change added to a future state, the comparison drawn by the page (answer cards, charts),
// the what-if slider, a calendar comparison as tables; at a desktop and a phone width, with
// screenshots. Usage: node studio_browser.cjs PLAYWRIGHT_CORE URL ARTEFACTS
const [playwrightPath, url, artefacts] = process.argv.slice(2);
const { chromium } = require(playwrightPath);
const path = require('path');

async function shownFigures(page) {
  await page.waitForSelector('#differences tr[data-metric]', { timeout: 120000 });
  return page.$$eval('#differences tr[data-metric]', (rows) => rows.map((r) => ({
    metric: r.dataset.metric, scenario_index: Number(r.dataset.scenarioIndex),
    current: Number(r.dataset.current), future: Number(r.dataset.future),
    difference: Number(r.dataset.difference),
    shown: [...r.querySelectorAll('td')].map((td) => td.textContent),
  })));
}

// The answer cards as the page shows them: per future state, each figure's verdict.
async function answerCards(page, selector) {
  await page.waitForSelector(`${selector} .verdict li`, { timeout: 120000 });
  return page.$$eval(`${selector} .verdict li`, (items) => items.map((li) => ({
    metric: li.dataset.metric, verdict: li.dataset.verdict, difference: Number(li.dataset.difference),
    text: li.textContent,
  })));
}

// The report's charts the page drew itself: how many containers, and how many hold a canvas.
async function drawnCharts(page) {
  await page.waitForSelector('#result-charts .result-chart canvas', { timeout: 30000 });
  await page.waitForTimeout(300);
  return page.$$eval('#result-charts .result-chart', (charts) => ({
    containers: charts.length,
    drawn: charts.filter((c) => c.querySelector('canvas')).length,
    ids: charts.map((c) => c.id),
  }));
}

// A comparison with draws started on the page at the test's agents and seed: its answer cards,
// each with what the draws say of the figure.
async function compareCards(page) {
  await page.fill('#agents', '2000');
  await page.fill('#seed', '7');
  await page.click('#start');
  await page.waitForSelector('#answer-cards .verdict li .over-draws', { timeout: 120000 });
  return page.$$eval('#answer-cards .verdict li', (items) => items.map((li) => {
    const over = li.querySelector('.over-draws');
    return {
      metric: li.dataset.metric, difference: Number(li.dataset.difference),
      over_draws: over ? JSON.parse(over.dataset.overDraws) : null,
      probability: over && over.dataset.probability !== undefined ? Number(over.dataset.probability) : null,
      text: over ? over.textContent : '',
    };
  }));
}

async function compare(page, agents, seed) {
  await page.fill('#agents', String(agents));
  await page.fill('#seed', String(seed));
  await page.click('#start');
  return shownFigures(page);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'],
  });
  const out = { errors: [] };
  try {
    // Desktop: the whole walk.
    const desktop = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    desktop.on('pageerror', (e) => out.errors.push(String(e)));
    let expectPrompt = false;  // the one prompt the walk answers: where to save a what-if
    desktop.on('dialog', (d) => {
      if (expectPrompt && d.type() === 'prompt') {
        expectPrompt = false;
        out.prompted = d.defaultValue();
        d.accept(d.defaultValue());
        return;
      }
      out.errors.push(`unexpected dialog: ${d.message()}`);
      d.dismiss();
    });
    await desktop.goto(url);
    // Two files opened one after the other, the first answered later: the last one opened shows.
    const slowFile = '**/api/file?path=retail.yaml';
    await desktop.route(slowFile, (route) => setTimeout(() => route.continue(), 700));
    await desktop.click('nav#files button[data-path="retail.yaml"]');
    await desktop.click('nav#files button[data-path="bank_current_account.yaml"]');
    await desktop.waitForFunction(() => document.querySelector('#title')?.textContent === 'bank_current_account.yaml');
    await desktop.waitForTimeout(1000);
    out.last_opened = await desktop.textContent('#title');
    await desktop.unroute(slowFile);
    // The journey map's words on the bank journey (opened above): shown on cards and stages,
    // edited in the panel (written into the text), saved; on its future state, an edit becomes
    // a change.
    const ad = '.card[data-touchpoint="social_ad"]';
    await desktop.waitForSelector(`${ad} [data-field="pain_points"] li`);
    out.card_words = await desktop.$eval(ad, (c) => ({
      description: c.querySelector('[data-field="description"]').textContent,
      action: c.querySelector('[data-field="customer_action"]').textContent,
      thoughts: [...c.querySelectorAll('[data-field="thoughts"] li')].map((li) => li.textContent),
      pains: [...c.querySelectorAll('[data-field="pain_points"] li')].map((li) => li.textContent),
      pain_colour: getComputedStyle(c.querySelector('[data-field="pain_points"]')).color,
      opportunities: [...c.querySelectorAll('[data-field="opportunities"] li')].map((li) => li.textContent),
      owner: c.querySelector('[data-field="owner"]').textContent,
    }));
    out.stage_words = await desktop.textContent('.stage[data-stage="awareness"] .stage-head [data-field="description"]');
    await desktop.click(ad);
    await desktop.fill('#panel [data-words="owner"]', 'Growth marketing');
    await desktop.fill('#panel [data-words="thoughts"]', 'Is it really free?\nWho is behind it?');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:') &&
      document.querySelector('.card[data-touchpoint="social_ad"] [data-field="owner"]').textContent.includes('Growth marketing'),
      null, { timeout: 30000 });
    out.card_owner = await desktop.textContent(`${ad} [data-field="owner"]`);
    await desktop.click('.stage[data-stage="awareness"] .stage-head');
    await desktop.fill('#panel [data-stage-words="description"]', 'Where people first meet the bank.');
    await desktop.click('details.persona[data-persona="app_switcher"] summary');
    await desktop.fill('#panel [data-persona="app_switcher"][data-words="quote"]', 'Ten minutes, on my phone.');
    await desktop.waitForFunction(() => document.querySelector('.stage[data-stage="awareness"] .stage-head [data-field="description"]')
      .textContent === 'Where people first meet the bank.', null, { timeout: 30000 });
    out.persona_names = await desktop.$$eval('details.persona summary', (s) => s.map((x) => x.textContent));
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');
    await desktop.screenshot({ path: path.join(artefacts, 'studio_words_1400.png'), fullPage: true });
    await desktop.click('nav#files button[data-path="bank_current_account_guided_id.yaml"]');
    await desktop.waitForSelector('#changes');
    const bankChanges = await desktop.locator('#changes li').count();
    await desktop.click(ad);
    await desktop.fill('#panel [data-words="owner"]', 'Brand team');
    await desktop.press('#panel [data-words="owner"]', 'Tab');
    await desktop.waitForFunction((n) => document.querySelectorAll('#changes li').length > n, bankChanges);
    await desktop.waitForFunction(() => document.querySelector('.card[data-touchpoint="social_ad"] [data-field="owner"]')
      .textContent.includes('Brand team'), null, { timeout: 30000 });
    out.words_change = await desktop.textContent('#changes li:last-child code');
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');

    await desktop.click('nav#files button[data-path="retail.yaml"]');
    await desktop.click('.card[data-touchpoint="basket"]');
    const dropout = desktop.locator('#panel input[data-field="dropout"]');
    await dropout.fill('1.5');
    await desktop.waitForSelector('#messages li.error', { timeout: 30000 });
    out.typed_error = await desktop.textContent('#messages li.error');
    await dropout.fill('0.3');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'),
      null, { timeout: 30000 });
    out.card = await desktop.textContent('.card[data-touchpoint="basket"] [data-field="dropout"]');
    // The settings and a persona are edited in the text too; set back before saving.
    const kappa = desktop.locator('#panel input[data-setting="kappa"]');
    await kappa.fill('2');
    await desktop.waitForFunction(() => /\n  kappa: 2 /.test(document.querySelector('#source').value));
    out.kappa_edited = true;
    await kappa.fill('1.5');
    await desktop.click('details.persona[data-persona="digital_native"] summary');
    const share = desktop.locator('#panel input[data-persona="digital_native"][data-field="share"]');
    await share.fill('-0.1');
    await desktop.waitForSelector('#messages li.error', { timeout: 30000 });
    out.share_error = await desktop.textContent('#messages li.error');
    await share.fill('0.3');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'),
      null, { timeout: 30000 });
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');
    await desktop.screenshot({ path: path.join(artefacts, 'studio_map_1400.png'), fullPage: true });

    // The forms: a touchpoint with a wrong dropout is refused with the message next to its
    // field; then added, with a transition into it, and removed (its transition with it); a
    // persona added and removed; the text back as saved. A transition added and saved.
    await desktop.click('#structure summary');
    const savedText = await desktop.$eval('#source', (x) => x.value);
    const add = (kind, key) => `[data-form="${kind}"] [data-add="${kind}.${key}"]`;
    await desktop.fill(add('touchpoint', 'id'), 'gift_wrap');
    await desktop.selectOption(add('touchpoint', 'stage'), 'purchase');
    await desktop.fill(add('touchpoint', 'channel'), 'web');
    await desktop.fill(add('touchpoint', 'dropout'), '1.5');
    await desktop.click('[data-add-button="touchpoint"]');
    await desktop.waitForFunction(() => document.querySelector('[data-form="touchpoint"] [data-key="dropout"] .field-error').textContent !== '');
    out.form_error = await desktop.textContent('[data-form="touchpoint"] [data-key="dropout"] .field-error');
    out.form_refused = (await desktop.$eval('#source', (x) => x.value)) === savedText;
    await desktop.fill(add('touchpoint', 'dropout'), '0.1');
    await desktop.click('[data-add-button="touchpoint"]');
    await desktop.waitForSelector('.card[data-touchpoint="gift_wrap"]', { timeout: 30000 });
    await desktop.selectOption(add('transition', 'from'), 'basket');
    await desktop.selectOption(add('transition', 'to'), 'gift_wrap');
    await desktop.fill(add('transition', 'weight'), '0.4');
    await desktop.click('[data-add-button="transition"]');
    await desktop.waitForFunction(() => document.querySelector('#source').value.includes('"to":"gift_wrap"'));
    out.form_added = await desktop.$eval('#source', (x) => x.value.split('\n').filter((l) => l.includes('gift_wrap')));
    // Checked: the journey the page holds has the new transition.
    await desktop.waitForSelector('[data-remove="transition"] option[value="basket -> gift_wrap"]', { state: 'attached', timeout: 30000 });
    await desktop.selectOption('[data-remove="touchpoint"]', 'gift_wrap');
    await desktop.click('[data-remove-button="touchpoint"]');
    await desktop.waitForFunction(() => !document.querySelector('.card[data-touchpoint="gift_wrap"]'), null, { timeout: 30000 });
    await desktop.fill(add('persona', 'id'), 'night_owl');
    await desktop.fill(add('persona', 'share'), '-1');
    await desktop.click('[data-add-button="persona"]');
    await desktop.waitForFunction(() => document.querySelector('[data-form="persona"] [data-key="share"] .field-error').textContent !== '');
    out.persona_error = await desktop.textContent('[data-form="persona"] [data-key="share"] .field-error');
    await desktop.fill(add('persona', 'share'), '0.1');
    await desktop.click('[data-add-button="persona"]');
    await desktop.waitForSelector('details.persona[data-persona="night_owl"]', { timeout: 30000 });
    await desktop.selectOption('[data-remove="persona"]', 'night_owl');
    await desktop.click('[data-remove-button="persona"]');
    await desktop.waitForFunction(() => !document.querySelector('details.persona[data-persona="night_owl"]'), null, { timeout: 30000 });
    out.form_restored = (await desktop.$eval('#source', (x) => x.value)) === savedText;
    await desktop.selectOption(add('transition', 'from'), 'product_page');
    await desktop.selectOption(add('transition', 'to'), 'price_drop_alert');
    await desktop.fill(add('transition', 'weight'), '0.2');
    await desktop.click('[data-add-button="transition"]');
    await desktop.waitForFunction(() => document.querySelector('#source').value.includes('"to":"price_drop_alert"'));
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'));
    await desktop.screenshot({ path: path.join(artefacts, 'studio_forms_1400.png'), fullPage: true });
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');
    // The touchpoint graph, laid out by dagre and drawn by ECharts.
    await desktop.click('#show-graph');
    await desktop.waitForSelector('#graph canvas', { timeout: 30000 });
    out.graph = await desktop.$eval('#graph', (g) => ({
      nodes: Number(g.dataset.nodes), edges: Number(g.dataset.edges), layout: JSON.parse(g.dataset.layout),
      height: g.clientHeight, cards: document.querySelectorAll('.card').length,
      mapHidden: document.querySelector('#map-view').hidden,
    }));
    await desktop.waitForTimeout(300);
    await desktop.screenshot({ path: path.join(artefacts, 'studio_graph_1400.png') });
    await desktop.click('#show-map');
    // The slider on a journey: a what-if future state of it, compared, then saved as a file.
    await desktop.fill('#agents', '20000');
    await desktop.fill('#seed', '7');
    await desktop.selectOption('#whatif-touchpoint', 'social_ad');
    await desktop.selectOption('#whatif-field', 'dropout');
    await desktop.fill('#whatif-slider', '0.7');
    await desktop.waitForFunction(() => document.querySelector('#whatif-state').dataset.state === 'done', null, { timeout: 60000 });
    out.journey_whatif = await answerCards(desktop, '#whatif-cards');
    expectPrompt = true;
    await desktop.click('#whatif-keep');
    await desktop.waitForSelector('nav#files button[data-path="retail_what_if.yaml"]', { timeout: 30000 });

    await desktop.click('nav#files button[data-path="retail_one_click_checkout.yaml"]');
    await desktop.waitForSelector('#changes');
    const before = await desktop.locator('#changes li').count();
    await desktop.selectOption('#change-kind', 'update_touchpoint');
    await desktop.selectOption('#change-touchpoint', 'social_ad');
    await desktop.selectOption('#change-field', 'dropout');
    await desktop.fill('#change-value', '0.25');
    await desktop.click('#add-change');
    await desktop.waitForFunction((n) => document.querySelectorAll('#changes li').length > n, before);
    out.changes = [before, await desktop.locator('#changes li').count()];
    out.added_change = await desktop.textContent('#changes li:last-child code');
    // Removed by its button, then added again: the text loses and regains the line.
    await desktop.click(`#changes li[data-change="${before}"] button`);
    await desktop.waitForFunction((n) => document.querySelectorAll('#changes li').length === n, before);
    out.removed = await desktop.$eval('#source', (s) => !s.value.includes('social_ad'));
    await desktop.click('#add-change');
    await desktop.waitForFunction((n) => document.querySelectorAll('#changes li').length > n, before);
    out.source_tail = await desktop.$eval('#source', (s) => s.value.trim().split('\n').pop());
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'));
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');
    out.desktop = await compare(desktop, 20000, 7);
    out.answer = await desktop.textContent('#answer');
    out.cards = await answerCards(desktop, '#answer-cards');
    out.charts = await drawnCharts(desktop);
    out.frames = await desktop.locator('iframe').count();
    out.report_link = await desktop.getAttribute('#open-report', 'href');
    await desktop.screenshot({ path: path.join(artefacts, 'studio_compare_1400.png'), fullPage: true });

    // The what-if slider: basket's dropout dragged twice at the studio's default agents; each
    // stop reruns the comparison and the answer changes; the last value kept as a change, saved.
    await desktop.fill('#agents', '100000');
    await desktop.selectOption('#whatif-touchpoint', 'basket');
    await desktop.selectOption('#whatif-field', 'dropout');
    out.whatif = [];
    for (const value of ['0.6', '0.1']) {
      const before = await desktop.getAttribute('#whatif-answer', 'data-job');
      await desktop.fill('#whatif-slider', value);
      await desktop.waitForFunction((job) => document.querySelector('#whatif-state').dataset.state === 'done' &&
        document.querySelector('#whatif-answer').dataset.job !== job, before, { timeout: 60000 });
      out.whatif.push({
        value, seconds: Number(await desktop.getAttribute('#whatif-state', 'data-seconds')),
        cards: await answerCards(desktop, '#whatif-cards'),
      });
    }
    // Dragged quickly: only the last value's comparison answers.
    for (const value of ['0.3', '0.4', '0.2']) {
      await desktop.fill('#whatif-slider', value);
      await desktop.waitForTimeout(60);
    }
    const last = await desktop.getAttribute('#whatif-answer', 'data-job');
    await desktop.waitForFunction((job) => document.querySelector('#whatif-state').dataset.state === 'done' &&
      document.querySelector('#whatif-answer').dataset.job !== job, last, { timeout: 60000 });
    out.whatif.push({ value: '0.2', cards: await answerCards(desktop, '#whatif-cards') });
    await desktop.screenshot({ path: path.join(artefacts, 'studio_whatif_1400.png'), fullPage: true });
    const kept = await desktop.locator('#changes li').count();
    await desktop.click('#whatif-keep');
    await desktop.waitForFunction((n) => document.querySelectorAll('#changes li').length > n, kept);
    out.whatif_change = await desktop.textContent('#changes li:last-child code');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'));
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');

    // A calendar journey's comparison: the figures as tables.
    await desktop.click('nav#files button[data-path="bank_call_centre_call_back.yaml"]');
    await desktop.waitForFunction(() => document.querySelector('#title').textContent === 'bank_call_centre_call_back.yaml');
    await desktop.fill('#seed', '3');
    await desktop.click('#start');
    await desktop.waitForSelector('#calendar-differences-0 tr[data-figure]', { timeout: 120000 });
    out.calendar = await desktop.$$eval('#calendar-differences-0 tr[data-figure]', (rows) => rows.map((r) => ({
      figure: r.dataset.figure, resource: r.dataset.resource || null,
      ...Object.fromEntries(['current', 'future', 'difference'].map((k) =>
        [k, r.dataset[k] === undefined ? null : Number(r.dataset[k])])),
    })));
    out.calendar_days = await desktop.locator('#calendar-0-days tr').count();
    out.calendar_whatif = await desktop.textContent('#whatif');
    await desktop.screenshot({ path: path.join(artefacts, 'studio_calendar_1400.png'), fullPage: true });

    // Phone: the same comparison, from the list behind its button.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    phone.on('pageerror', (e) => out.errors.push(String(e)));
    await phone.goto(url);
    await phone.click('#show-files');
    await phone.click('nav#files button[data-path="retail_one_click_checkout.yaml"]');
    await phone.waitForSelector('#changes li');
    await phone.screenshot({ path: path.join(artefacts, 'studio_future_390.png'), fullPage: true });
    out.phone = await compare(phone, 20000, 7);
    out.phone_cards = await answerCards(phone, '#answer-cards');
    out.phone_charts = await drawnCharts(phone);
    // The slider at phone width: its answer, and the page no wider than the phone.
    await phone.selectOption('#whatif-touchpoint', 'basket');
    await phone.selectOption('#whatif-field', 'dropout');
    await phone.fill('#whatif-slider', '0.5');
    await phone.waitForFunction(() => document.querySelector('#whatif-state').dataset.state === 'done', null, { timeout: 60000 });
    out.phone_whatif = await answerCards(phone, '#whatif-cards');
    out.phone_width = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.screenshot({ path: path.join(artefacts, 'studio_compare_390.png'), fullPage: true });
    // The bank's map with its words, at phone width.
    await phone.click('#show-files');
    await phone.click('nav#files button[data-path="bank_current_account.yaml"]');
    await phone.waitForSelector('.card[data-touchpoint="social_ad"] [data-field="pain_points"]');
    out.phone_words_width = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.click('#show-graph');
    await phone.waitForSelector('#graph canvas', { timeout: 30000 });
    out.phone_graph_width = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.waitForTimeout(300);
    await phone.screenshot({ path: path.join(artefacts, 'studio_graph_390.png') });
    await phone.screenshot({ path: path.join(artefacts, 'studio_words_390.png') });

    // Uncertain inputs drawn: the workshop's estimate of the guided ID check compared with its
    // base, 4 draws of 2,000 agents, at three widths: how sure it is, both intervals on the
    // cards, the ranking of the guesses with the report's chart, nothing wider than the page.
    await desktop.click('nav#files button[data-path="retail.yaml"]');
    await desktop.waitForFunction(() => document.querySelector('#title').textContent === 'retail.yaml');
    out.draws_hidden = await desktop.$eval('#draws-box', (b) => b.hidden);
    out.draws = {};
    for (const width of [1400, 1024, 390]) {
      const page = width === 1400 ? desktop : await browser.newPage({ viewport: { width, height: 900 }, isMobile: width < 800 });
      if (page !== desktop) {
        page.on('pageerror', (e) => out.errors.push(String(e)));
        await page.goto(url);
      }
      if (width < 800) await page.click('#show-files');
      await page.click('nav#files button[data-path="bank_current_account_guided_id_estimate.yaml"]');
      await page.waitForSelector('#draws');
      const shown = { default: await page.$eval('#draws', (x) => x.value), base: await page.textContent('#future h3') };
      await page.fill('#draws', '4');
      shown.cards = await compareCards(page);
      await page.waitForSelector('#how-sure li');
      await page.waitForSelector('#sensitivity .result-chart canvas', { timeout: 30000 });
      await page.waitForTimeout(300);
      shown.sentences = await page.$$eval('#how-sure-sentences li', (items) => items.map((li) => li.textContent));
      shown.ranking = await page.$$eval('#sensitivity .ranking li', (items) => items.map((li) => ({
        path: li.dataset.path, first_order: Number(li.dataset.firstOrder), text: li.textContent,
      })));
      shown.ranking_charts = await page.$$eval('#sensitivity .result-chart', (c) => c.map((x) => x.querySelector('canvas') !== null));
      shown.width = await page.evaluate(() => document.documentElement.scrollWidth);
      shown.overflowing = await page.$$eval('#how-sure, #sensitivity, #answer-cards, #sensitivity .result-chart',
        (boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth + 1).map((b) => b.id || b.className));
      await page.screenshot({ path: path.join(artefacts, `studio_draws_${width}.png`), fullPage: true });
      out.draws[width] = shown;
    }
  } catch (e) {
    out.errors.push(String(e && e.stack || e));
    // What the pages showed when it failed, kept with the other screenshots.
    for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
      await page.screenshot({ path: path.join(artefacts, `failed_${i}.png`), fullPage: true }).catch(() => {});
      out.errors.push(`page ${i}: ${await page.$eval('#main', (m) => m.innerText.slice(0, 600)).catch(() => '')}`);
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})();
