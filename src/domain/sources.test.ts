import { describe, expect, it } from 'vitest';
import { sourceLabel } from './sources.js';

describe('sourceLabel', () => {
  it.each([
    ['DOMAIN.md §1.4', '《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）'],
    ['DOMAIN.md §3.4', '《中国共产党支部工作条例（试行）》'],
    ['DOMAIN.md §3.1', '《中国共产党支部工作条例（试行）》第四、五、二十条'],
    ['DOMAIN.md §2.3', '《中国共产党发展党员工作细则》'],
    ['DOMAIN.md §2.1a', '期间计算参照《民法典》第二百零一、二百零二条；国务院办公厅节假日安排'],
    ['DOMAIN.md §8', 'GB 11643—1999《公民身份号码》'],
  ])('%s', (src, label) => expect(sourceLabel(src)).toBe(label));

  it('joins several sections and keeps unknown text', () => {
    expect(sourceLabel('DOMAIN.md §1.4, §3.4')).toBe('《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）；《中国共产党支部工作条例（试行）》');
    expect(sourceLabel('ARCHITECTURE.md')).toBe('ARCHITECTURE.md');
    expect(sourceLabel(null)).toBe('');
  });
});
