// The VTN case list (the harness plays the VEN): the 2.0b certification list, pull then push, then FlexBridge's own security cases.
import { caseIndex, type ConformanceCase } from '../../harness/case.js';
import type { VtnCaseContext, VtnTarget } from '../../harness/vtn-target.js';
import { cases as eventsCases } from './scenarios/events.js';
import { cases as generalCases } from './scenarios/general.js';
import { cases as registrationCases } from './scenarios/registration.js';
import { cases as optsCases } from './scenarios/opts.js';
import { cases as reportsCases } from './scenarios/reports.js';

type VtnCase = ConformanceCase<VtnTarget, VtnCaseContext>;

/** Every case by its ID: each scenario module exports its cases as data. */
const pick = caseIndex(eventsCases, generalCases, registrationCases, optsCases, reportsCases);

/** Simple HTTP pull: the harness VEN polls for what the VTN sends. */
export const pullVtnCases: readonly VtnCase[] = pick(
  'N1_0010_TH_VEN', 'N1_0015_TH_VEN', 'N1_0020_TH_VEN', 'N1_0025_TH_VEN', 'N1_0030_TH_VEN', 'N1_0040_TH_VEN',
  'N1_0050_TH_VEN', 'N1_0060_TH_VEN', 'N1_0065_TH_VEN', 'N1_0070_TH_VEN', 'N1_0080_TH_VEN', 'E1_1010_TH_VEN',
  'E1_1020_TH_VEN', 'E1_1025_TH_VEN', 'E1_1027_TH_VEN', 'E1_1030_TH_VEN', 'E1_1040_TH_VEN', 'E1_1050_TH_VEN',
  'E1_1060_TH_VEN', 'E1_1065_TH_VEN', 'E1_1070_TH_VEN', 'E1_1080_TH_VEN', 'P1_2010_TH_VEN', 'P1_2015_TH_VEN',
  'P1_2020_TH_VEN', 'P1_2030_TH_VEN', 'P1_2040_TH_VEN', 'P1_2050_TH_VEN', 'R1_3010_TH_VEN', 'R1_3020_TH_VEN',
  'R1_3025_TH_VEN', 'R1_3027_TH_VEN', 'R1_3030_TH_VEN', 'R1_3040_TH_VEN', 'R1_3045_TH_VEN', 'R1_3050_TH_VEN',
  'R1_3060_TH_VEN', 'R1_3070_TH_VEN', 'R1_3080_TH_VEN', 'R1_3090_TH_VEN', 'R1_3100_TH_VEN', 'R1_3120_TH_VEN',
  'R1_3130_TH_VEN', 'R1_3140_TH_VEN', 'R1_3150_TH_VEN', 'R1_3160_TH_VEN', 'R1_3170_TH_VEN', 'R1_3180_TH_VEN',
  'R1_3190_TH_VEN', 'G1_4010_TH_VEN', 'G1_4011_TH_VEN', 'G1_4015_TH_VEN', 'G1_4020_TH_VEN',
);

/** Simple HTTP push: the VTN posts to the harness VEN's HTTPS endpoint. */
export const pushVtnCases: readonly VtnCase[] = pick(
  'N0_5010_TH_VEN', 'N0_5015_TH_VEN', 'N0_5020_TH_VEN', 'N0_5025_TH_VEN', 'N0_5030_TH_VEN', 'N0_5040_TH_VEN',
  'N0_5050_TH_VEN', 'N0_5060_TH_VEN', 'N0_5065_TH_VEN', 'N0_5070_TH_VEN', 'N0_5080_TH_VEN', 'E0_6010_TH_VEN',
  'E0_6020_TH_VEN', 'E0_6025_TH_VEN', 'E0_6027_TH_VEN', 'E0_6030_TH_VEN', 'E0_6040_TH_VEN', 'E0_6050_TH_VEN',
  'E0_6060_TH_VEN', 'E0_6065_TH_VEN', 'E0_6070_TH_VEN', 'E0_6080_TH_VEN', 'P0_7010_TH_VEN', 'P0_7015_TH_VEN',
  'P0_7020_TH_VEN', 'P0_7030_TH_VEN', 'P0_7040_TH_VEN', 'P0_7050_TH_VEN', 'R0_8010_TH_VEN', 'R0_8020_TH_VEN',
  'R0_8025_TH_VEN', 'R0_8027_TH_VEN', 'R0_8030_TH_VEN', 'R0_8040_TH_VEN', 'R0_8045_TH_VEN', 'R0_8050_TH_VEN',
  'R0_8060_TH_VEN', 'R0_8070_TH_VEN', 'R0_8080_TH_VEN', 'R0_8090_TH_VEN', 'R0_8100_TH_VEN', 'R0_8120_TH_VEN',
  'R0_8130_TH_VEN', 'R0_8140_TH_VEN', 'R0_8150_TH_VEN', 'R0_8160_TH_VEN', 'R0_8170_TH_VEN', 'R0_8180_TH_VEN',
  'R0_8190_TH_VEN', 'G0_9010_TH_VEN', 'G0_9020_TH_VEN',
);

/** Negative security cases beyond the certification list's numbering (issue 9, item 3). */
export const securityVtnCases: readonly VtnCase[] = pick(
  'XS_0010_TH_VEN', 'XS_0020_TH_VEN', 'XS_0030_TH_VEN', 'XS_0040_TH_VEN', 'XS_0050_TH_VEN',
);

export const vtnCases: readonly VtnCase[] = [...pullVtnCases, ...pushVtnCases, ...securityVtnCases];

/**
 * Over the XMPP binding the VTN pushes to the VEN's JID: the push list runs there as it is, with the
 * security cases that do not need XML signatures (the others report themselves not applicable).
 */
export const xmppVtnCases: readonly VtnCase[] = [...pushVtnCases, ...securityVtnCases];
