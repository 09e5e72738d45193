"""The reports in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
scripts/install-system-deps) driven headless by playwright. Each kind of page — student
report, instructor report, class dashboard — at a desktop and a phone-sized viewport: no
console errors, no network, key elements visible, headings in order, nothing wider than
the phone's screen. Screenshots go to test-output/screenshots/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.report import write_dashboard, write_reports

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / 'test-output' / 'screenshots'
CHROMIUM = Path('/usr/bin/chromium')
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run']
VIEWPORTS = {'desktop': {'width': 1280, 'height': 900}, 'phone': {'width': 390, 'height': 844}}
A4 = {'width': 680, 'height': 1000}       # an A4 page's text width in CSS pixels, about

sync_api = pytest.importorskip('playwright.sync_api', reason="the 'playwright' package is not installed "
                               "(pip install -e '.[dev]')")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason='no /usr/bin/chromium: run scripts/install-system-deps '
                                                              '(Debian package chromium)')]


@pytest.fixture(scope='module')
def site(graded_examples, tmp_path_factory):
    """Reports of the graded reference, the flawed-overflow check, a synthetic flawed
    submission with everything failing, and the dashboard linking them."""
    from test_report import synthetic_document
    root = tmp_path_factory.mktemp('site')
    documents = {'reference': graded_examples.grade('reference')[0],
                 'flawed-overflow': graded_examples.grade('flawed-overflow', mode='check')[0],
                 'flawed-everything': synthetic_document()}
    links = {}
    for name, document in documents.items():
        write_reports(document, root / name)
        links[document['submission']['source']] = f'{name}/report.html'
    extra = [synthetic_document(student=f'Student {i}', source=f's{i}.zip') for i in range(3)]
    write_dashboard([*documents.values(), *extra], root, links)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope='module')
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Loaded:
    def __init__(self, browser, url, viewport):
        self.page = browser.new_page(viewport=VIEWPORTS.get(viewport, A4))
        self.errors, self.requests = [], []
        self.page.on('console', lambda m: m.type == 'error' and self.errors.append(m.text))
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))
        self.page.on('requestfailed', lambda r: self.errors.append(f'failed: {r.url}'))
        self.page.on('request', lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until='load')

    def common_checks(self, viewport):
        page = self.page
        assert self.errors == []
        assert all(u.startswith(('file:', 'data:')) for u in self.requests), self.requests
        assert page.locator('h1').is_visible()
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
        images = page.evaluate("[...document.images].map(i => [i.complete && i.naturalWidth > 0, i.alt.length])")
        assert all(ok and alt for ok, alt in images), images
        # colour is never the only signal: every badge shows an icon and a word
        assert page.evaluate("""[...document.querySelectorAll('.badge')].every(b =>
            b.querySelector('.icon').textContent.trim() && b.querySelector('.word').textContent.trim())""")
        if viewport == 'phone':
            width = page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')
            assert width[0] <= width[1], f'the page is {width[0]} px wide on a {width[1]} px screen'
            font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.message, td')).fontSize)")
            assert font >= 12

    def shoot(self, name, viewport):
        path = SHOTS / f'{name}-{viewport}.png'
        path.unlink(missing_ok=True)
        self.page.screenshot(path=path, full_page=viewport == 'desktop')
        assert path.stat().st_size > 10_000


@pytest.mark.parametrize('viewport', list(VIEWPORTS))
def test_student_report(browser, site, viewport):
    loaded = Loaded(browser, (site / 'flawed-everything' / 'report.html').as_uri(), viewport)
    page = loaded.page
    loaded.common_checks(viewport)
    assert page.get_by_test_id('grade').is_visible() and page.get_by_test_id('hard-requirements').is_visible()
    assert page.locator('.hard li.tone-bad').first.inner_text().startswith('✘')
    wrong = page.locator('#check-activations-table td.cell-wrong').first
    wrong.scroll_into_view_if_needed()
    assert wrong.is_visible() and 'expected' in wrong.inner_text()
    overlay = page.locator('#check-activations-table figure img').first
    overlay.scroll_into_view_if_needed()
    assert overlay.is_visible() and overlay.bounding_box()['width'] <= VIEWPORTS[viewport]['width']
    for selector in ('#check-layers-gradients .ebar.over', '#check-partb-accuracy .gauge',
                     '#check-partb-time .gauge.over', '#check-partb-overfitting figure img', '#cell-3 pre.tb'):
        element = page.locator(selector).first
        element.scroll_into_view_if_needed()
        assert element.is_visible(), selector
    assert page.locator('.instructor-only').count() == 0
    page.evaluate('window.scrollTo(0, 0)')
    loaded.shoot('student-report', viewport)
    page.close()


@pytest.mark.parametrize('viewport', list(VIEWPORTS))
def test_student_reports_of_graded_examples(browser, site, viewport):
    for name in ('reference', 'flawed-overflow'):
        loaded = Loaded(browser, (site / name / 'report.html').as_uri(), viewport)
        loaded.common_checks(viewport)
        assert loaded.page.locator('#check-partb-accuracy').is_visible()
        if name == 'flawed-overflow':
            figure = loaded.page.locator('#check-activations-table figure')
            figure.scroll_into_view_if_needed()
            assert figure.is_visible() and 'tanh' in figure.inner_text()
            loaded.page.evaluate('window.scrollTo(0, 0)')
        loaded.shoot(f'{name}-report', viewport)
        loaded.page.close()


@pytest.mark.parametrize('viewport', list(VIEWPORTS))
def test_instructor_report(browser, site, viewport):
    loaded = Loaded(browser, (site / 'flawed-everything' / 'report-instructor.html').as_uri(), viewport)
    page = loaded.page
    loaded.common_checks(viewport)
    hidden = page.locator('#check-activations-hidden .hidden-details')
    hidden.scroll_into_view_if_needed()
    assert hidden.is_visible() and '745.5' in hidden.inner_text()
    raw = page.locator('#instructor details.raw-json').last
    raw.scroll_into_view_if_needed()
    assert raw.is_visible() and not raw.locator('pre').is_visible()      # collapsed until asked for
    raw.locator('summary').click()
    assert raw.locator('pre').is_visible()
    page.evaluate('window.scrollTo(0, 0)')
    loaded.shoot('instructor-report', viewport)
    page.close()


@pytest.mark.parametrize('viewport', list(VIEWPORTS))
def test_dashboard(browser, site, viewport):
    loaded = Loaded(browser, (site / 'dashboard.html').as_uri(), viewport)
    page = loaded.page
    loaded.common_checks(viewport)
    assert page.locator('img').first.is_visible()                          # the grade histogram
    rows = page.locator('#students tbody tr')
    assert rows.count() == 6

    def grades():
        # a partial run ('—': no grade) sorts as -1, as the cell's data-sort says
        return [-1.0 if t.strip() == '—' else float(t)
                for t in page.locator('#students tbody tr:not([hidden]) td:nth-child(2)').all_inner_texts()]
    button = page.locator('#students button.sort[data-key="1"]')
    button.scroll_into_view_if_needed()
    button.click()
    assert grades() == sorted(grades())
    button.click()
    assert grades() == sorted(grades(), reverse=True)
    assert page.locator('#students th[aria-sort="descending"]').count() == 1
    page.locator('#filter-result').select_option('passed')
    passed = page.locator('#students tbody tr[data-result="passed"]').count()
    assert 1 <= passed < 6 and page.locator('#shown').inner_text() == f'{passed} of 6 shown'
    assert page.locator('#students tbody tr:not([hidden])').count() == passed and 10.0 in grades()
    page.locator('#filter-result').select_option('')
    page.locator('#filter-text').fill('student 1')
    assert page.locator('#shown').inner_text() == '1 of 6 shown'
    page.locator('#filter-text').fill('')
    page.locator('#filter-check').select_option('static.imports')
    assert page.locator('#shown').inner_text() == '4 of 6 shown'            # the four with numpy
    page.locator('#filter-check').select_option('')
    link = page.locator('#students a', has_text='reference.zip')
    assert link.get_attribute('href') == 'reference/report.html'
    page.evaluate('window.scrollTo(0, 0)')
    loaded.shoot('dashboard', viewport)
    assert loaded.errors == []
    page.close()


def test_reports_print_on_a4(browser, site):
    """Printed, nothing is cut off: no scrolling boxes, nothing wider than an A4 page's text
    (about 680 CSS pixels); the student report becomes a PDF of several pages."""
    for name in ('flawed-everything/report.html', 'reference/report.html', 'dashboard.html'):
        loaded = Loaded(browser, (site / name).as_uri(), 'a4')
        page = loaded.page
        page.emulate_media(media='print')
        assert page.evaluate("getComputedStyle(document.querySelector('.scroll')).overflowX") == 'visible'
        assert page.evaluate('document.documentElement.scrollWidth') <= A4['width'], name
        if name == 'dashboard.html':
            assert not page.locator('.filters').is_visible()
        if name == 'flawed-everything/report.html':
            pdf = page.pdf(format='A4', print_background=True)
            assert pdf.startswith(b'%PDF') and len(re.findall(rb'/Type\s*/Page[^s]', pdf)) >= 4
            (SHOTS / 'student-report-print.pdf').write_bytes(pdf)
        page.close()
