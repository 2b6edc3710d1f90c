/** Deterministic PRNG (mulberry32) so the demo and the benchmark county are the same on every run. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)];
  }
  weighted<T>(items: readonly [T, number][]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN_MALE = '伟强磊军洋勇杰涛明超辉刚平健斌波鹏华飞宇浩凯俊峰建国志红文博林海东亮晨旭阳帅振宏成德新民永春';
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞燕玲桂英秀兰琳颖慧婷雪梅倩晶琴云莉红萍华洁佳欣悦彤晓月馨雅丹蕾璐薇妍岚';

export function chineseName(rng: Rng, gender: 'male' | 'female'): string {
  const pool = gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.7) ? rng.pick([...pool]) + rng.pick([...pool]) : rng.pick([...pool]);
  return rng.pick([...SURNAMES]) + given;
}
