import type { ThemeConfig } from 'antd';

/**
 * A calm work-tool look: white surfaces on a light grey page, readable 14–16 px text, the Party red
 * (#c8161d) kept for primary actions, the selected menu item and the brand mark.
 */
export const ACCENT = '#c8161d';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: ACCENT,
    colorLink: '#1d4ed8',
    colorInfo: '#1d4ed8',
    fontSize: 14,
    borderRadius: 6,
    colorBgLayout: '#f5f6f8',
    colorTextBase: '#1f2329',
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerHeight: 56, headerPadding: '0 20px' },
    Menu: { itemSelectedBg: '#fdecec', itemSelectedColor: ACCENT, itemBorderRadius: 6, itemHeight: 44, iconSize: 16 },
    Table: { headerBg: '#fafafa', cellPaddingBlock: 12 },
    Card: { headerFontSize: 16 },
  },
};
