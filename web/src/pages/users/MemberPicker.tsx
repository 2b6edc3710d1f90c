import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { api } from '../../api/client';
import type { MemberListItem, Page } from '../../api/types';
import { genderLabel } from '../../lib/labels';

/**
 * Finds a member by name (GET /api/members?q=) for linking an account to its person record. The
 * value is the person id; `onPick` also hands over the list row (its org and name prefill the form).
 */
export function MemberPicker(props: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  onPick?: (m: MemberListItem | null) => void;
  compact: (name: string) => string;
  id?: string;
  placeholder?: string;
  'data-testid'?: string;
}) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<MemberListItem[]>([]);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<MemberListItem | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const term = q.trim();
    if (!term) {
      setItems([]);
      setSearching(false);
      return;
    }
    const mine = ++seq.current;
    setSearching(true);
    const t = window.setTimeout(() => {
      api.get<Page<MemberListItem>>('/api/members', { q: term, pageSize: 20 }).then(
        (r) => {
          if (mine !== seq.current) return;
          setItems(r.items);
          setSearching(false);
        },
        () => {
          if (mine !== seq.current) return;
          setItems([]);
          setSearching(false);
        },
      );
    }, 250);
    return () => window.clearTimeout(t);
  }, [q]);

  // Keep the chosen member in the options so the select can show its name after a new search.
  const list = picked && !items.some((m) => m.id === picked.id) ? [picked, ...items] : items;
  const options = list.map((m) => ({
    value: m.id,
    label: m.name,
    item: m,
  }));

  return (
    <Select<number>
      id={props.id}
      data-testid={props['data-testid']}
      showSearch={{ filterOption: false, onSearch: setQ, searchValue: q }}
      value={props.value ?? undefined}
      placeholder={props.placeholder ?? '输入姓名查找党员'}
      allowClear
      options={options}
      optionRender={(o) => {
        const m = (o.data as { item: MemberListItem }).item;
        return (
          <div className="member-option">
            <div className="member-option-name">
              {m.name}
              <span className="muted member-option-sub">{[genderLabel(m.gender), m.age !== null ? `${m.age}岁` : null].filter(Boolean).join(' · ')}</span>
            </div>
            <div className="muted member-option-org">{props.compact(m.orgName)}</div>
          </div>
        );
      }}
      notFoundContent={searching ? <Spin size="small" /> : q.trim() ? '没有找到该党员' : '请输入姓名'}
      onChange={(v, opt) => {
        const m = v ? ((opt as { item?: MemberListItem } | undefined)?.item ?? null) : null;
        setPicked(m);
        props.onChange?.(v ?? null);
        props.onPick?.(m);
        setQ('');
      }}
      style={{ width: '100%' }}
      popupMatchSelectWidth
    />
  );
}
