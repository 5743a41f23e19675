/**
 * A fixed multilingual text set for the token-estimate accuracy test (docs/context.md reports the error per
 * language). Written for this project; each sample is a few hundred characters of ordinary text in its
 * language or format.
 */
export interface CorpusSample {
  /** Language or kind of text. */
  name: string;
  text: string;
}

export const MULTILINGUAL_SAMPLES: readonly CorpusSample[] = [
  {
    name: 'English prose',
    text: `The library keeps every conversation as plain JSON, so a session can be stored, replayed and handed to another provider without losing anything. When a local model has a small context window, the history soon grows past it: the agent then has to decide what to keep. Dropping the oldest turns is simple and predictable, but it forgets facts the user gave at the start. Summarizing older turns keeps the gist at the price of one extra model call, and the summary itself must stay short enough to leave room for the answer. Both strategies are opt-in, and neither one runs silently behind the user's back.`,
  },
  {
    name: 'Code (TypeScript)',
    text: `export async function loadSession(path: string, signal?: AbortSignal): Promise<Session> {
  const text = await readFile(path, { encoding: 'utf8', signal });
  const entries: Entry[] = [];
  for (const [index, line] of text.split('\\n').entries()) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as Entry);
    } catch (error) {
      if (index === lines.length - 1) break; // a torn last line after a crash
      throw new SessionError(\`line \${index + 1} is not JSON\`, { cause: error });
    }
  }
  return { id: basename(path, '.jsonl'), entries, version: entries[0]?.v ?? 1 };
}`,
  },
  {
    name: 'German',
    text: `Die Bibliothek speichert jedes Gespräch als einfaches JSON, damit eine Sitzung gespeichert, wiederholt und an einen anderen Anbieter übergeben werden kann. Wenn ein lokales Modell nur ein kleines Kontextfenster hat, wächst der Verlauf schnell darüber hinaus. Der Agent muss dann entscheiden, was er behält. Das Löschen der ältesten Runden ist einfach und vorhersehbar, vergisst aber Tatsachen, die der Benutzer am Anfang genannt hat. Eine Zusammenfassung älterer Runden bewahrt das Wesentliche, kostet jedoch einen zusätzlichen Modellaufruf.`,
  },
  {
    name: 'Russian',
    text: `Библиотека хранит каждый разговор в виде обычного JSON, поэтому сессию можно сохранить, воспроизвести и передать другому поставщику без потерь. Когда у локальной модели маленькое окно контекста, история быстро выходит за его пределы, и агенту приходится решать, что оставить. Удаление самых старых ходов просто и предсказуемо, но при этом забываются факты, которые пользователь сообщил в начале. Краткое изложение старых ходов сохраняет суть ценой одного дополнительного вызова модели.`,
  },
  {
    name: 'Chinese',
    text: `这个库把每一次对话都保存为普通的 JSON，因此会话可以被存储、重放，并且可以交给另一个服务提供方而不丢失任何内容。当本地模型的上下文窗口很小时，历史记录很快就会超出它的范围，这时代理必须决定保留哪些内容。删除最早的几轮对话简单而且可以预测，但会忘记用户在开头提供的事实。对较早的对话进行摘要可以保留要点，代价是多一次模型调用，而且摘要本身必须足够短，才能给回答留出空间。两种策略都需要用户主动开启，任何一种都不会在用户不知情的情况下运行。`,
  },
  {
    name: 'Japanese',
    text: `このライブラリはすべての会話を普通の JSON として保存するので、セッションを保存し、再生し、別のプロバイダーに渡しても何も失われません。ローカルモデルのコンテキストウィンドウが小さいと、履歴はすぐにそれを超えてしまい、エージェントは何を残すかを決めなければなりません。最も古いターンを削除するのは簡単で予測しやすい方法ですが、ユーザーが最初に伝えた事実を忘れてしまいます。古いターンを要約すれば要点は残りますが、モデルの呼び出しが一回増えます。`,
  },
  {
    name: 'Arabic',
    text: `تحفظ المكتبة كل محادثة بصيغة JSON عادية، لذلك يمكن تخزين الجلسة وإعادة تشغيلها وتسليمها إلى مزود آخر دون فقدان أي شيء. عندما تكون نافذة السياق لدى النموذج المحلي صغيرة، يتجاوزها السجل بسرعة، وعلى الوكيل عندئذ أن يقرر ما يحتفظ به. حذف أقدم الأدوار بسيط ويمكن توقعه، لكنه ينسى الحقائق التي ذكرها المستخدم في البداية. أما تلخيص الأدوار القديمة فيحافظ على الجوهر مقابل استدعاء إضافي للنموذج.`,
  },
  {
    name: 'Emoji and JSON',
    text: `{"event":"message_end","turn":3,"usage":{"input":1834,"output":212,"cacheRead":0},"reactions":["👍","🎉","🚀"],"note":"Deploy done ✅ — all 42 checks green 🟢","tags":["release","v1.4.2"],"items":[{"id":"a1","ok":true,"score":0.87},{"id":"b2","ok":false,"score":0.12}],"status":"😀 happy path 🙂","by":"bot 🤖"}`,
  },
];
