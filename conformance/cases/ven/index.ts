// The VEN case list (the harness plays the VTN), in the order they run.
import type { ConformanceCase } from '../../harness/case.js';
import type { VenCaseContext, VenTarget } from '../../harness/ven-target.js';
import N1_0020 from './N1_0020_TH_VTN.js';
import E1_1020 from './E1_1020_TH_VTN.js';
import E1_1030 from './E1_1030_TH_VTN.js';
import E1_1040 from './E1_1040_TH_VTN.js';
import E1_1060 from './E1_1060_TH_VTN.js';
import G1_4040 from './G1_4040_TH_VTN.js';

export const venCases: readonly ConformanceCase<VenTarget, VenCaseContext>[] = [N1_0020, E1_1020, E1_1030, E1_1040, E1_1060, G1_4040];
