// Drives the studio in Debian's Chromium through playwright-core (studio_browser.py starts the
// server and checks what this prints): open retail, edit a dropout (an out-of-range value first,
// whose message must show as it is typed), save; add a change to a future state, save; run the
// comparison and print the figures the page shows, at a desktop and a phone width, with
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
    desktop.on('dialog', (d) => { out.errors.push(`unexpected dialog: ${d.message()}`); d.dismiss(); });
    await desktop.goto(url);
    await desktop.click('nav#files button[data-path="retail.yaml"]');
    await desktop.click('.card[data-touchpoint="basket"]');
    const dropout = desktop.locator('#panel input[data-field="dropout"]');
    await dropout.fill('1.5');
    await desktop.waitForSelector('#messages li.error', { timeout: 10000 });
    out.typed_error = await desktop.textContent('#messages li.error');
    await dropout.fill('0.3');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'),
      null, { timeout: 10000 });
    out.card = await desktop.textContent('.card[data-touchpoint="basket"] [data-field="dropout"]');
    // The settings and a persona are edited in the text too; set back before saving.
    const kappa = desktop.locator('#panel input[data-setting="kappa"]');
    await kappa.fill('2');
    await desktop.waitForFunction(() => /\n  kappa: 2 /.test(document.querySelector('#source').value));
    out.kappa_edited = true;
    await kappa.fill('1.5');
    const share = desktop.locator('#panel input[data-persona="digital_native"][data-field="share"]');
    await share.fill('-0.1');
    await desktop.waitForSelector('#messages li.error', { timeout: 10000 });
    out.share_error = await desktop.textContent('#messages li.error');
    await share.fill('0.3');
    await desktop.waitForFunction(() => document.querySelector('#summary').textContent.includes('valid:'),
      null, { timeout: 10000 });
    await desktop.click('#save');
    await desktop.waitForFunction(() => document.querySelector('#save-state').textContent === 'saved');
    await desktop.screenshot({ path: path.join(artefacts, 'studio_map_1400.png'), fullPage: true });

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
    const frame = desktop.frameLocator('#report');
    await frame.locator('.chart').first().waitFor({ timeout: 30000 });
    await desktop.waitForTimeout(500);
    await desktop.screenshot({ path: path.join(artefacts, 'studio_compare_1400.png'), fullPage: true });

    // Phone: the same comparison, from the list behind its button.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    phone.on('pageerror', (e) => out.errors.push(String(e)));
    await phone.goto(url);
    await phone.click('#show-files');
    await phone.click('nav#files button[data-path="retail_one_click_checkout.yaml"]');
    await phone.waitForSelector('#changes li');
    await phone.screenshot({ path: path.join(artefacts, 'studio_future_390.png'), fullPage: true });
    out.phone = await compare(phone, 20000, 7);
    out.phone_width = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.screenshot({ path: path.join(artefacts, 'studio_compare_390.png') });
  } catch (e) {
    out.errors.push(String(e && e.stack || e));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})();
