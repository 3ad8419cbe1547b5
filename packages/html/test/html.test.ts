import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from '../src/index.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('html', () => {
  it('escapes interpolated strings and numbers', () => {
    expect(html`<p>${'<script>'}${1}</p>`.value).toBe('<p>&lt;script&gt;1</p>');
  });

  it('keeps SafeHtml as it is and joins arrays', () => {
    const items = ['a&b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });

  it('renders null, undefined and false as nothing, true as text', () => {
    expect(html`${null}${undefined}${false}${true}`.value).toBe('true');
  });

  it('returns SafeHtml whose string form is its markup', () => {
    const page = html`<b>${'x'}</b>`;
    expect(page).toBeInstanceOf(SafeHtml);
    expect(`${page}`).toBe('<b>x</b>');
  });
});
