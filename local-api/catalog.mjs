// The service's fixed catalog: the regions and zones Lighthouse sells in, and its bundles (plans). Names come
// in both languages of X-TC-Language; `pick(lang, { en, zh })` chooses.

export const pick = (lang, text) => (lang === 'en' ? text.en : text.zh);

// [Region, English name, Chinese name, zone numbers, IsChinaMainland]
const REGION_ROWS = [
  ['ap-guangzhou', 'South China (Guangzhou)', '华南地区(广州)', [3, 4, 6, 7], true],
  ['ap-shanghai', 'East China (Shanghai)', '华东地区(上海)', [2, 3, 4, 5, 8], true],
  ['ap-nanjing', 'East China (Nanjing)', '华东地区(南京)', [1, 2, 3], true],
  ['ap-beijing', 'North China (Beijing)', '华北地区(北京)', [3, 5, 6, 7], true],
  ['ap-chengdu', 'Southwest China (Chengdu)', '西南地区(成都)', [1, 2], true],
  ['ap-chongqing', 'Southwest China (Chongqing)', '西南地区(重庆)', [1], true],
  ['ap-hongkong', 'Hong Kong, Macau and Taiwan (China) (Hong Kong, China)', '港澳台地区(中国香港)', [2, 3], false],
  ['ap-singapore', 'Southeast Asia (Singapore)', '亚太东南(新加坡)', [1, 3, 4], false],
  ['ap-jakarta', 'Southeast Asia (Jakarta)', '亚太东南(雅加达)', [1, 2], false],
  ['ap-bangkok', 'Southeast Asia (Bangkok)', '亚太东南(曼谷)', [1, 2], false],
  ['ap-seoul', 'Northeast Asia (Seoul)', '亚太东北(首尔)', [1, 2], false],
  ['ap-tokyo', 'Northeast Asia (Tokyo)', '亚太东北(东京)', [1, 2], false],
  ['ap-mumbai', 'South Asia (Mumbai)', '亚太南部(孟买)', [1, 2], false],
  ['eu-frankfurt', 'Europe (Frankfurt)', '欧洲地区(法兰克福)', [1, 2], false],
  ['na-siliconvalley', 'US West (Silicon Valley)', '美国西部(硅谷)', [1, 2], false],
  ['na-ashburn', 'US East (Virginia)', '美国东部(弗吉尼亚)', [1, 2], false],
  ['sa-saopaulo', 'South America (São Paulo)', '南美地区(圣保罗)', [1], false],
];

const ZH_NUMBERS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export const REGIONS = new Map(
  REGION_ROWS.map(([id, en, zh, zones, mainland]) => {
    const city = { en: en.replace(/^.*\((.*)\)$/, '$1'), zh: zh.replace(/^.*\((.*)\)$/, '$1') };
    return [
      id,
      {
        id,
        name: { en, zh },
        mainland,
        zones: zones.map((n) => ({ Zone: `${id}-${n}`, name: { en: `${city.en} Zone ${n}`, zh: `${city.zh.replace(/^中国/, '')}${ZH_NUMBERS[n]}区` } })),
      },
    ];
  }),
);

/** The region of a zone: ap-guangzhou-3 -> ap-guangzhou. */
export const regionOfZone = (zone) => String(zone ?? '').replace(/-\d+$/, '');

export const regionSet = (lang) =>
  [...REGIONS.values()].map((r) => ({ Region: r.id, RegionName: pick(lang, r.name), RegionState: 'AVAILABLE', IsChinaMainland: r.mainland }));

export const zoneSet = (region, lang) => REGIONS.get(region).zones.map((z) => ({ Zone: z.Zone, ZoneName: pick(lang, z.name), InstanceDisplayLabel: 'NORMAL' }));

// [BundleId suffix, type, CPU, Memory GB, disk GB, traffic GB/month, bandwidth Mbps, monthly price CNY]
const BUNDLE_ROWS = [
  ['nano2_01', 'STARTER_BUNDLE', 2, 2, 40, 200, 3, 50],
  ['med2_02', 'GENERAL_BUNDLE', 2, 4, 60, 300, 6, 80],
  ['large2_03', 'GENERAL_BUNDLE', 4, 8, 80, 1200, 8, 160],
  ['xlarge2_04', 'ENTERPRISE_BUNDLE', 8, 16, 180, 2500, 12, 560],
];
const BUNDLE_TYPE_TEXT = {
  STARTER_BUNDLE: { en: 'Starter', zh: '入门型' },
  GENERAL_BUNDLE: { en: 'General', zh: '通用型' },
  ENTERPRISE_BUNDLE: { en: 'Enterprise', zh: '企业型' },
};

/** Every bundle, Linux and Windows variants (`bundle_gen_lin_med2_02`, the seed instances' BundleId). */
export function bundleSet(lang) {
  const out = [];
  for (const [suffix, type, cpu, mem, disk, traffic, bw, price] of BUNDLE_ROWS) {
    for (const os of ['lin', 'win']) {
      const windows = os === 'win';
      const total = windows ? price + 20 : price;
      out.push({
        BundleId: `bundle_gen_${os}_${suffix}`,
        Memory: mem,
        SystemDiskType: 'CLOUD_SSD',
        SystemDiskSize: windows ? disk + 20 : disk,
        MonthlyTraffic: traffic,
        SupportLinuxUnixPlatform: !windows,
        SupportWindowsPlatform: windows,
        Price: { InstancePrice: { OriginalBundlePrice: total, OriginalPrice: total, Discount: 100, DiscountPrice: total, Currency: 'CNY' } },
        CPU: cpu,
        InternetMaxBandwidthOut: bw,
        InternetChargeType: 'FLOW_PACKAGE',
        BundleSalesState: suffix === 'xlarge2_04' && windows ? 'SOLD_OUT' : 'AVAILABLE',
        BundleType: type,
        BundleTypeDescription: pick(lang, BUNDLE_TYPE_TEXT[type]),
        BundleDisplayLabel: 'NORMAL',
      });
    }
  }
  return out;
}
