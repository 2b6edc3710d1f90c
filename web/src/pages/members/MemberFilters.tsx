import { useEffect, useState } from 'react';
import { Badge, Button, Col, Input, Row, Select } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useIsMobile } from '../../lib/hooks';
import {
  AGE_BAND_OPTIONS, EDUCATION_OPTIONS, GENDER_OPTIONS, LIST_STAGE_OPTIONS, MINORITY_OPTIONS, OCCUPATION_OPTIONS, PARTY_AGE_BAND_OPTIONS,
} from '../../lib/labels';

/** The list filters, kept in the URL so a filtered list can be bookmarked, shared and exported. */
export const FILTER_KEYS = ['org', 'q', 'stage', 'gender', 'minority', 'ageBand', 'partyAgeBand', 'education', 'occupation'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

const SELECTS: { key: FilterKey; placeholder: string; options: { value: string; label: string }[] }[] = [
  { key: 'stage', placeholder: '人员类别', options: LIST_STAGE_OPTIONS },
  { key: 'gender', placeholder: '性别', options: GENDER_OPTIONS },
  { key: 'minority', placeholder: '民族', options: MINORITY_OPTIONS },
  { key: 'ageBand', placeholder: '年龄段', options: AGE_BAND_OPTIONS },
  { key: 'partyAgeBand', placeholder: '党龄段', options: PARTY_AGE_BAND_OPTIONS },
  { key: 'education', placeholder: '学历', options: EDUCATION_OPTIONS },
  { key: 'occupation', placeholder: '职业', options: OCCUPATION_OPTIONS },
];

export function MemberFilters({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const mobile = useIsMobile();
  const [q, setQ] = useState(value.q ?? '');
  const [open, setOpen] = useState(false);
  useEffect(() => setQ(value.q ?? ''), [value.q]);
  const set = (k: FilterKey, v: string | null | undefined) => onChange({ ...value, [k]: v ?? undefined });
  const activeSelects = SELECTS.filter((s) => value[s.key]).length;
  const anyActive = FILTER_KEYS.some((k) => value[k]);
  const showSelects = !mobile || open;

  return (
    <div className="member-filters" data-testid="member-filters">
      <Row gutter={[12, 12]}>
        <Col xs={24} md={10} lg={8}>
          <Input.Search
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(s) => set('q', s.trim() || undefined)}
            placeholder="姓名 / 手机号 / 身份证号"
            allowClear
            enterButton="搜索"
            data-testid="member-search"
          />
        </Col>
        <Col xs={mobile ? 17 : 24} md={8} lg={8}>
          <OrgTreeSelect
            value={value.org ? Number(value.org) : null}
            onChange={(v) => set('org', v ? String(v) : undefined)}
            placeholder="全部党组织"
            data-testid="member-filter-org"
          />
        </Col>
        {mobile ? (
          <Col xs={7}>
            <Badge count={activeSelects} size="small" offset={[-4, 2]}>
              <Button icon={<FilterOutlined />} onClick={() => setOpen((o) => !o)} block data-testid="member-filter-toggle">
                筛选
              </Button>
            </Badge>
          </Col>
        ) : null}
        {showSelects
          ? SELECTS.map((s) => (
              <Col xs={12} sm={8} md={6} lg={4} key={s.key}>
                <Select
                  value={value[s.key]}
                  onChange={(v) => set(s.key, v)}
                  options={s.options}
                  placeholder={s.placeholder}
                  allowClear
                  style={{ width: '100%' }}
                  popupMatchSelectWidth={false}
                  data-testid={`member-filter-${s.key}`}
                />
              </Col>
            ))
          : null}
        {anyActive && showSelects ? (
          <Col xs={12} sm={8} md={6} lg={4}>
            <Button type="link" onClick={() => onChange({})} data-testid="member-filter-clear">清除筛选</Button>
          </Col>
        ) : null}
      </Row>
    </div>
  );
}
