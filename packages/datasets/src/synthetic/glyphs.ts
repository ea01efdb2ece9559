/**
 * Stroke skeletons of the digits 0-9 in a unit box (x right, y down, the glyph spans y 0..1).
 * Each digit has several styles a human writer uses (7 with and without a bar, 1 with and without a
 * flag, open and closed 4, ...). Arcs and curves are sampled into polylines once, at module load.
 */
export type Point = readonly [number, number];
export type Stroke = readonly Point[];
export type Glyph = readonly Stroke[];

/** Elliptical arc; angles in degrees, 0 = right, 90 = down (y grows downwards); end < start goes anticlockwise. */
function arc(cx: number, cy: number, rx: number, ry: number, startDeg: number, endDeg: number): Point[] {
  const n = Math.max(4, Math.ceil(Math.abs(endDeg - startDeg) / 20));
  const pts: Point[] = [];
  for (let i = 0; i <= n; i++) {
    const a = ((startDeg + ((endDeg - startDeg) * i) / n) * Math.PI) / 180;
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return pts;
}

/** Quadratic Bezier from p0 to p1 pulled towards c. */
function quad(p0: Point, c: Point, p1: Point, n = 8): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    pts.push([u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1]]);
  }
  return pts;
}

/** Joins pieces into one stroke, dropping a repeated joint. */
function join(...pieces: Point[][]): Point[] {
  const out: Point[] = [];
  for (const piece of pieces) {
    for (const p of piece) {
      const last = out[out.length - 1];
      if (last && Math.abs(last[0] - p[0]) < 1e-6 && Math.abs(last[1] - p[1]) < 1e-6) continue;
      out.push(p);
    }
  }
  return out;
}

const zero: Glyph[] = [
  [arc(0.5, 0.5, 0.3, 0.48, -90, 275)],
  [arc(0.5, 0.5, 0.22, 0.48, -100, 265)],
  [join(arc(0.5, 0.5, 0.3, 0.48, -60, 300), quad([0.65, 0.09], [0.6, 0.02], [0.5, 0.02], 3))],
];

// plain strokes listed twice: most MNIST ones have no flag or base
const one: Glyph[] = [
  [
    [
      [0.5, 0],
      [0.5, 1],
    ],
  ],
  [
    [
      [0.5, 0],
      [0.5, 1],
    ],
  ],
  [
    [
      [0.54, 0],
      [0.46, 1],
    ],
  ],
  [join([[0.28, 0.22]], [[0.52, 0]], [[0.52, 1]])],
  [
    join([[0.3, 0.2]], [[0.52, 0]], [[0.52, 1]]),
    [
      [0.28, 1],
      [0.76, 1],
    ],
  ],
  [
    [
      [0.56, 0],
      [0.44, 1],
    ],
  ],
];

const two: Glyph[] = [
  [join(arc(0.5, 0.27, 0.3, 0.27, 200, 380), quad([0.79, 0.37], [0.6, 0.7], [0.15, 1]), [[0.85, 1]])],
  [
    join(
      arc(0.48, 0.26, 0.3, 0.26, 190, 360),
      quad([0.78, 0.26], [0.75, 0.6], [0.16, 0.98]),
      quad([0.16, 0.98], [0.2, 0.85], [0.35, 0.9], 4),
      quad([0.35, 0.9], [0.6, 1.02], [0.88, 0.96], 5),
    ),
  ],
  [
    join(arc(0.5, 0.28, 0.28, 0.28, 180, 370), [
      [0.18, 1],
      [0.86, 1],
    ]),
  ],
];

const three: Glyph[] = [
  [join(arc(0.48, 0.26, 0.28, 0.25, 205, 450), arc(0.48, 0.74, 0.32, 0.26, 270, 520))],
  [
    join(
      [
        [0.18, 0.02],
        [0.8, 0.02],
        [0.42, 0.44],
      ],
      arc(0.48, 0.72, 0.32, 0.28, 270, 515),
    ),
  ],
  [join(arc(0.5, 0.25, 0.26, 0.24, 200, 430), [[0.42, 0.5]], arc(0.5, 0.74, 0.3, 0.26, 250, 510))],
];

const four: Glyph[] = [
  // closed: diagonal from the top of the stem, then the bar
  [
    [
      [0.68, 0],
      [0.68, 1],
    ],
    [
      [0.68, 0],
      [0.12, 0.68],
      [0.9, 0.68],
    ],
  ],
  // open: left stroke down then across, separate stem
  [
    [
      [0.22, 0],
      [0.18, 0.62],
      [0.88, 0.6],
    ],
    [
      [0.68, 0.22],
      [0.68, 1],
    ],
  ],
  [
    [
      [0.26, 0.02],
      [0.2, 0.58],
      [0.86, 0.58],
    ],
    [
      [0.7, 0],
      [0.66, 1],
    ],
  ],
];

const five: Glyph[] = [
  [
    join(
      [
        [0.8, 0],
        [0.3, 0],
        [0.25, 0.44],
      ],
      arc(0.48, 0.7, 0.32, 0.3, 235, 520),
    ),
  ],
  [
    [
      [0.28, 0.02],
      [0.82, 0.02],
    ],
    join(
      [
        [0.28, 0.02],
        [0.24, 0.45],
      ],
      arc(0.48, 0.71, 0.32, 0.29, 230, 515),
    ),
  ],
];

const six: Glyph[] = [
  [join(quad([0.74, 0.02], [0.26, 0.2], [0.2, 0.68]), arc(0.5, 0.71, 0.3, 0.28, 180, -180))],
  [join([[0.68, 0]], quad([0.68, 0], [0.3, 0.3], [0.22, 0.72]), arc(0.48, 0.74, 0.26, 0.26, 180, -160))],
];

const seven: Glyph[] = [
  [
    [
      [0.14, 0],
      [0.86, 0],
      [0.4, 1],
    ],
  ],
  [
    [
      [0.14, 0],
      [0.86, 0],
      [0.4, 1],
    ],
    [
      [0.36, 0.52],
      [0.78, 0.52],
    ],
  ],
  [
    join(
      [
        [0.14, 0.06],
        [0.86, 0],
      ],
      quad([0.86, 0], [0.55, 0.45], [0.48, 1]),
    ),
  ],
  [
    join(
      [
        [0.14, 0.18],
        [0.16, 0],
      ],
      [[0.86, 0]],
      [[0.42, 1]],
    ),
  ],
];

const eight: Glyph[] = [
  [arc(0.5, 0.25, 0.23, 0.24, 0, 360), arc(0.5, 0.73, 0.3, 0.27, -90, 270)],
  [arc(0.53, 0.23, 0.19, 0.22, 0, 360), arc(0.47, 0.71, 0.31, 0.29, -90, 270)],
  [
    join(
      arc(0.5, 0.25, 0.22, 0.24, 90, 360),
      quad([0.72, 0.25], [0.62, 0.45], [0.3, 0.6]),
      arc(0.5, 0.75, 0.27, 0.24, 210, 510),
      quad([0.27, 0.78], [0.3, 0.55], [0.5, 0.49]),
      arc(0.5, 0.25, 0.22, 0.24, 90, 180),
    ),
  ],
];

const nine: Glyph[] = [
  [
    arc(0.45, 0.28, 0.28, 0.27, 0, 360),
    [
      [0.73, 0.28],
      [0.7, 1],
    ],
  ],
  [
    join(arc(0.44, 0.28, 0.27, 0.27, -10, -370)),
    join(
      [
        [0.71, 0.24],
        [0.7, 0.8],
      ],
      quad([0.7, 0.8], [0.68, 1], [0.4, 0.98], 5),
    ),
  ],
  [arc(0.46, 0.27, 0.27, 0.26, 0, 360), join([[0.73, 0.3]], quad([0.73, 0.3], [0.64, 0.6], [0.5, 1]))],
];

/** GLYPHS[d] lists the styles of digit d. */
export const GLYPHS: readonly (readonly Glyph[])[] = [zero, one, two, three, four, five, six, seven, eight, nine];
