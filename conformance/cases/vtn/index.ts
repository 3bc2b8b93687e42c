// The VTN case list (the harness plays the VEN), in the order they run.
import type { ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import N1_0010 from './N1_0010_TH_VEN.js';
import N1_0020 from './N1_0020_TH_VEN.js';
import N1_0040 from './N1_0040_TH_VEN.js';
import N1_0070 from './N1_0070_TH_VEN.js';
import N1_0080 from './N1_0080_TH_VEN.js';
import E1_1010 from './E1_1010_TH_VEN.js';
import E1_1020 from './E1_1020_TH_VEN.js';
import E1_1030 from './E1_1030_TH_VEN.js';
import P1_2010 from './P1_2010_TH_VEN.js';
import P1_2050 from './P1_2050_TH_VEN.js';
import R1_3150 from './R1_3150_TH_VEN.js';
import R1_3170 from './R1_3170_TH_VEN.js';
import G1_4010 from './G1_4010_TH_VEN.js';
import G1_4030 from './G1_4030_TH_VEN.js';
import G1_4040 from './G1_4040_TH_VEN.js';
import G1_4050 from './G1_4050_TH_VEN.js';
import G1_4060 from './G1_4060_TH_VEN.js';
import G1_4070 from './G1_4070_TH_VEN.js';
import N0_5020 from './N0_5020_TH_VEN.js';
import E0_6020 from './E0_6020_TH_VEN.js';
import E0_6030 from './E0_6030_TH_VEN.js';

export const vtnCases: readonly ConformanceCase<VtnTarget, VtnCaseContext>[] = [
  N1_0010, N1_0020, N1_0040, N1_0070, N1_0080, E1_1010, E1_1020, E1_1030, P1_2010, P1_2050, R1_3150, R1_3170, G1_4010, G1_4030, G1_4040, G1_4050, G1_4060, G1_4070,
  N0_5020, E0_6020, E0_6030,
];

/**
 * The cases that also run over the XMPP binding (the harness VEN logs in to the VTN's XMPP server).
 * Not over XMPP: signature cases (signatures are not offered there), HTTP push cases, and the
 * poll-delivered event cases (over XMPP events are pushed to the VEN's JID).
 */
export const xmppVtnCases: readonly ConformanceCase<VtnTarget, VtnCaseContext>[] = [
  N1_0010, N1_0020, N1_0040, N1_0070, N1_0080, E1_1010, P1_2010, P1_2050, R1_3150, R1_3170, G1_4030, G1_4040,
];
