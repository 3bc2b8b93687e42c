// The VTN case list (the harness plays the VEN): the 2.0b certification list, pull then push, then FlexBridge's own security cases.
import type { ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import N1_0010 from './N1_0010_TH_VEN.js';
import N1_0015 from './N1_0015_TH_VEN.js';
import N1_0020 from './N1_0020_TH_VEN.js';
import N1_0025 from './N1_0025_TH_VEN.js';
import N1_0030 from './N1_0030_TH_VEN.js';
import N1_0040 from './N1_0040_TH_VEN.js';
import N1_0050 from './N1_0050_TH_VEN.js';
import N1_0060 from './N1_0060_TH_VEN.js';
import N1_0065 from './N1_0065_TH_VEN.js';
import N1_0070 from './N1_0070_TH_VEN.js';
import N1_0080 from './N1_0080_TH_VEN.js';
import E1_1010 from './E1_1010_TH_VEN.js';
import E1_1020 from './E1_1020_TH_VEN.js';
import E1_1025 from './E1_1025_TH_VEN.js';
import E1_1027 from './E1_1027_TH_VEN.js';
import E1_1030 from './E1_1030_TH_VEN.js';
import E1_1040 from './E1_1040_TH_VEN.js';
import E1_1050 from './E1_1050_TH_VEN.js';
import E1_1060 from './E1_1060_TH_VEN.js';
import E1_1065 from './E1_1065_TH_VEN.js';
import E1_1070 from './E1_1070_TH_VEN.js';
import E1_1080 from './E1_1080_TH_VEN.js';
import P1_2010 from './P1_2010_TH_VEN.js';
import P1_2015 from './P1_2015_TH_VEN.js';
import P1_2020 from './P1_2020_TH_VEN.js';
import P1_2030 from './P1_2030_TH_VEN.js';
import P1_2040 from './P1_2040_TH_VEN.js';
import P1_2050 from './P1_2050_TH_VEN.js';
import R1_3010 from './R1_3010_TH_VEN.js';
import R1_3020 from './R1_3020_TH_VEN.js';
import R1_3025 from './R1_3025_TH_VEN.js';
import R1_3027 from './R1_3027_TH_VEN.js';
import R1_3030 from './R1_3030_TH_VEN.js';
import R1_3040 from './R1_3040_TH_VEN.js';
import R1_3045 from './R1_3045_TH_VEN.js';
import R1_3050 from './R1_3050_TH_VEN.js';
import R1_3060 from './R1_3060_TH_VEN.js';
import R1_3070 from './R1_3070_TH_VEN.js';
import R1_3080 from './R1_3080_TH_VEN.js';
import R1_3090 from './R1_3090_TH_VEN.js';
import R1_3100 from './R1_3100_TH_VEN.js';
import R1_3120 from './R1_3120_TH_VEN.js';
import R1_3130 from './R1_3130_TH_VEN.js';
import R1_3140 from './R1_3140_TH_VEN.js';
import R1_3150 from './R1_3150_TH_VEN.js';
import R1_3160 from './R1_3160_TH_VEN.js';
import R1_3170 from './R1_3170_TH_VEN.js';
import R1_3180 from './R1_3180_TH_VEN.js';
import R1_3190 from './R1_3190_TH_VEN.js';
import G1_4010 from './G1_4010_TH_VEN.js';
import G1_4011 from './G1_4011_TH_VEN.js';
import G1_4015 from './G1_4015_TH_VEN.js';
import G1_4020 from './G1_4020_TH_VEN.js';
import N0_5010 from './N0_5010_TH_VEN.js';
import N0_5015 from './N0_5015_TH_VEN.js';
import N0_5020 from './N0_5020_TH_VEN.js';
import N0_5025 from './N0_5025_TH_VEN.js';
import N0_5030 from './N0_5030_TH_VEN.js';
import N0_5040 from './N0_5040_TH_VEN.js';
import N0_5050 from './N0_5050_TH_VEN.js';
import N0_5060 from './N0_5060_TH_VEN.js';
import N0_5065 from './N0_5065_TH_VEN.js';
import N0_5070 from './N0_5070_TH_VEN.js';
import N0_5080 from './N0_5080_TH_VEN.js';
import E0_6010 from './E0_6010_TH_VEN.js';
import E0_6020 from './E0_6020_TH_VEN.js';
import E0_6025 from './E0_6025_TH_VEN.js';
import E0_6027 from './E0_6027_TH_VEN.js';
import E0_6030 from './E0_6030_TH_VEN.js';
import E0_6040 from './E0_6040_TH_VEN.js';
import E0_6050 from './E0_6050_TH_VEN.js';
import E0_6060 from './E0_6060_TH_VEN.js';
import E0_6065 from './E0_6065_TH_VEN.js';
import E0_6070 from './E0_6070_TH_VEN.js';
import E0_6080 from './E0_6080_TH_VEN.js';
import P0_7010 from './P0_7010_TH_VEN.js';
import P0_7015 from './P0_7015_TH_VEN.js';
import P0_7020 from './P0_7020_TH_VEN.js';
import P0_7030 from './P0_7030_TH_VEN.js';
import P0_7040 from './P0_7040_TH_VEN.js';
import P0_7050 from './P0_7050_TH_VEN.js';
import R0_8010 from './R0_8010_TH_VEN.js';
import R0_8020 from './R0_8020_TH_VEN.js';
import R0_8025 from './R0_8025_TH_VEN.js';
import R0_8027 from './R0_8027_TH_VEN.js';
import R0_8030 from './R0_8030_TH_VEN.js';
import R0_8040 from './R0_8040_TH_VEN.js';
import R0_8045 from './R0_8045_TH_VEN.js';
import R0_8050 from './R0_8050_TH_VEN.js';
import R0_8060 from './R0_8060_TH_VEN.js';
import R0_8070 from './R0_8070_TH_VEN.js';
import R0_8080 from './R0_8080_TH_VEN.js';
import R0_8090 from './R0_8090_TH_VEN.js';
import R0_8100 from './R0_8100_TH_VEN.js';
import R0_8120 from './R0_8120_TH_VEN.js';
import R0_8130 from './R0_8130_TH_VEN.js';
import R0_8140 from './R0_8140_TH_VEN.js';
import R0_8150 from './R0_8150_TH_VEN.js';
import R0_8160 from './R0_8160_TH_VEN.js';
import R0_8170 from './R0_8170_TH_VEN.js';
import R0_8180 from './R0_8180_TH_VEN.js';
import R0_8190 from './R0_8190_TH_VEN.js';
import G0_9010 from './G0_9010_TH_VEN.js';
import G0_9020 from './G0_9020_TH_VEN.js';
import XS_0010 from './XS_0010_TH_VEN.js';
import XS_0020 from './XS_0020_TH_VEN.js';
import XS_0030 from './XS_0030_TH_VEN.js';
import XS_0040 from './XS_0040_TH_VEN.js';
import XS_0050 from './XS_0050_TH_VEN.js';

type VtnCase = ConformanceCase<VtnTarget, VtnCaseContext>;

/** Simple HTTP pull: the harness VEN polls for what the VTN sends. */
export const pullVtnCases: readonly VtnCase[] = [
  N1_0010, N1_0015, N1_0020, N1_0025, N1_0030, N1_0040, N1_0050, N1_0060, N1_0065, N1_0070, N1_0080, E1_1010, E1_1020, E1_1025, E1_1027, E1_1030,
  E1_1040, E1_1050, E1_1060, E1_1065, E1_1070, E1_1080, P1_2010, P1_2015, P1_2020, P1_2030, P1_2040, P1_2050, R1_3010, R1_3020, R1_3025, R1_3027,
  R1_3030, R1_3040, R1_3045, R1_3050, R1_3060, R1_3070, R1_3080, R1_3090, R1_3100, R1_3120, R1_3130, R1_3140, R1_3150, R1_3160, R1_3170, R1_3180,
  R1_3190, G1_4010, G1_4011, G1_4015, G1_4020,
];

/** Simple HTTP push: the VTN posts to the harness VEN's HTTPS endpoint. */
export const pushVtnCases: readonly VtnCase[] = [
  N0_5010, N0_5015, N0_5020, N0_5025, N0_5030, N0_5040, N0_5050, N0_5060, N0_5065, N0_5070, N0_5080, E0_6010, E0_6020, E0_6025, E0_6027, E0_6030,
  E0_6040, E0_6050, E0_6060, E0_6065, E0_6070, E0_6080, P0_7010, P0_7015, P0_7020, P0_7030, P0_7040, P0_7050, R0_8010, R0_8020, R0_8025, R0_8027,
  R0_8030, R0_8040, R0_8045, R0_8050, R0_8060, R0_8070, R0_8080, R0_8090, R0_8100, R0_8120, R0_8130, R0_8140, R0_8150, R0_8160, R0_8170, R0_8180,
  R0_8190, G0_9010, G0_9020,
];

/** Negative security cases beyond the certification list's numbering (issue 9, item 3). */
export const securityVtnCases: readonly VtnCase[] = [
  XS_0010, XS_0020, XS_0030, XS_0040, XS_0050,
];

export const vtnCases: readonly VtnCase[] = [...pullVtnCases, ...pushVtnCases, ...securityVtnCases];

/**
 * Over the XMPP binding the VTN pushes to the VEN's JID: the push list runs there as it is, with the
 * security cases that do not need XML signatures (the others report themselves not applicable).
 */
export const xmppVtnCases: readonly VtnCase[] = [...pushVtnCases, ...securityVtnCases];
