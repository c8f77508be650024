<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="zh_CN">
<context>
    <name />
    <message>
        <source>18位公民身份号码</source>
        <translation>18位公民身份号码</translation>
    </message>
    <message>
        <source>18位统一社会信用代码</source>
        <translation>18位统一社会信用代码</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>姓名或名称</source>
        <translation>姓名或名称</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>法定代表人</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>身份证号有效（出生日期 {0}）</source>
        <translation>身份证号有效（出生日期 {0}）</translation>
    </message>
    <message>
        <source>统一社会信用代码有效</source>
        <translation>统一社会信用代码有效</translation>
    </message>
    <message>
        <source>填写</source>
        <translation>填写</translation>
    </message>
    <message>
        <source>（不填）</source>
        <translation>（不填）</translation>
    </message>
    <message>
        <source>输入事项名称或代码搜索</source>
        <translation>输入事项名称或代码搜索</translation>
    </message>
    <message>
        <source>提交(&amp;S)</source>
        <translation>提交(&amp;S)</translation>
    </message>
    <message>
        <source>检查(&amp;K)</source>
        <translation>检查(&amp;K)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>金额（元），如 200 或 200.00</source>
        <translation>金额（元），如 200 或 200.00</translation>
    </message>
    <message>
        <source>更正后的内容：按原记录的格式逐项填写</source>
        <translation>更正后的内容：按原记录的格式逐项填写</translation>
    </message>
    <message>
        <source>留空则按本机号段自动编号</source>
        <translation>留空则按本机号段自动编号</translation>
    </message>
    <message>
        <source>无执法证</source>
        <translation>无执法证</translation>
    </message>
    <message>
        <source>“{0}”不是有效的 JSON 对象</source>
        <translation>“{0}”不是有效的 JSON 对象</translation>
    </message>
    <message>
        <source>已选 {0} 名持证执法人员</source>
        <translation>已选 {0} 名持证执法人员</translation>
    </message>
    <message>
        <source>：本环节需两名以上持有执法证件的执法人员（《中华人民共和国行政处罚法》第四十二条）</source>
        <translation>：本环节需两名以上持有执法证件的执法人员（《中华人民共和国行政处罚法》第四十二条）</translation>
    </message>
    <message>
        <source>采用建议金额(&amp;A)</source>
        <translation>采用建议金额(&amp;A)</translation>
    </message>
    <message>
        <source>裁量阶次</source>
        <translation>裁量阶次</translation>
    </message>
    <message>
        <source>（按法定幅度）</source>
        <translation>（按法定幅度）</translation>
    </message>
    <message>
        <source>不设上限</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <source>（本机裁量基准为示例，待县级发布）</source>
        <translation>（本机裁量基准为示例，待县级发布）</translation>
    </message>
    <message>
        <source>法定幅度 {0}–{1} 元；本阶次 {2}–{3} 元；建议 {4} 元。{5}</source>
        <translation>法定幅度 {0}–{1} 元；本阶次 {2}–{3} 元；建议 {4} 元。{5}</translation>
    </message>
    <message>
        <source>不是有效金额</source>
        <translation>不是有效金额</translation>
    </message>
    <message>
        <source>✓ 金额在法定幅度内</source>
        <translation>✓ 金额在法定幅度内</translation>
    </message>
    <message>
        <source>还有 {0} 项须处理</source>
        <translation>还有 {0} 项须处理</translation>
    </message>
    <message>
        <source>检查通过，可以提交</source>
        <translation>检查通过，可以提交</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>未保存：程序规则不允许这一步</source>
        <translation>未保存：程序规则不允许这一步</translation>
    </message>
    <message>
        <source>未保存：</source>
        <translation>未保存：</translation>
    </message>
    <message>
        <source>无法读取县级恢复公钥文件 {0}：{1}</source>
        <translation>无法读取县级恢复公钥文件 {0}：{1}</translation>
    </message>
    <message>
        <source>搜索：案件编号、当事人、身份证号（完整）、事项</source>
        <translation>搜索：案件编号、当事人、身份证号（完整）、事项</translation>
    </message>
    <message>
        <source>全部阶段</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>全部领域</source>
        <translation>全部领域</translation>
    </message>
    <message>
        <source>只看逾期(&amp;O)</source>
        <translation>只看逾期(&amp;O)</translation>
    </message>
    <message>
        <source>媒体不完整(&amp;M)</source>
        <translation>媒体不完整(&amp;M)</translation>
    </message>
    <message>
        <source>只看有证据文件尚未送达县级平台的案件</source>
        <translation>只看有证据文件尚未送达县级平台的案件</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>登记线索(&amp;L)</source>
        <translation>登记线索(&amp;L)</translation>
    </message>
    <message>
        <source>至</source>
        <translation>至</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>共 {0} 件，已载入 {1} 件</source>
        <translation>共 {0} 件，已载入 {1} 件</translation>
    </message>
    <message>
        <source>搜索事项名称（任意汉字片段）或事项代码</source>
        <translation>搜索事项名称（任意汉字片段）或事项代码</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>领域</source>
        <translation>领域</translation>
    </message>
    <message>
        <source>罚款幅度</source>
        <translation>罚款幅度</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>（可首违不罚）</source>
        <translation>（可首违不罚）</translation>
    </message>
    <message>
        <source>&lt;p&gt;代码 {0}　领域 {1}　原主管部门 {2}&lt;/p&gt;</source>
        <translation>&lt;p&gt;代码 {0}　领域 {1}　原主管部门 {2}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;违法依据：&lt;/b&gt;{0}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;违法依据：&lt;/b&gt;{0}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;处罚依据：&lt;/b&gt;{0}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;处罚依据：&lt;/b&gt;{0}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;处罚种类：&lt;/b&gt;{0}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;处罚种类：&lt;/b&gt;{0}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>无</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;其他措施：&lt;/b&gt;{0}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;其他措施：&lt;/b&gt;{0}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>个人</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>以此事项登记线索(&amp;F)</source>
        <translation>以此事项登记线索(&amp;F)</translation>
    </message>
    <message>
        <source>没有与“{0}”匹配的事项。可换一个词（如行为或场所），或选择“全部领域”。</source>
        <translation>没有与“{0}”匹配的事项。可换一个词（如行为或场所），或选择“全部领域”。</translation>
    </message>
    <message>
        <source>本领域没有事项。</source>
        <translation>本领域没有事项。</translation>
    </message>
    <message>
        <source>元</source>
        <translation>元</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;罚款幅度：&lt;/b&gt;{0}（{1}）{2}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;罚款幅度：&lt;/b&gt;{0}（{1}）{2}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>裁量基准（{0}）</source>
        <translation>裁量基准（{0}）</translation>
    </message>
    <message>
        <source>裁量基准</source>
        <translation>裁量基准</translation>
    </message>
    <message>
        <source>&lt;table border='1' cellpadding='4'&gt;&lt;tr&gt;&lt;th&gt;阶次&lt;/th&gt;&lt;th&gt;适用&lt;/th&gt;&lt;th&gt;幅度&lt;/th&gt;&lt;th&gt;情形&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;table border='1' cellpadding='4'&gt;&lt;tr&gt;&lt;th&gt;阶次&lt;/th&gt;&lt;th&gt;适用&lt;/th&gt;&lt;th&gt;幅度&lt;/th&gt;&lt;th&gt;情形&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;首违不罚：&lt;/b&gt;{0}（《中华人民共和国行政处罚法》第三十三条第一款）&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;首违不罚：&lt;/b&gt;{0}（《中华人民共和国行政处罚法》第三十三条第一款）&lt;/p&gt;</translation>
    </message>
    <message>
        <source>列入清单</source>
        <translation>列入清单</translation>
    </message>
    <message>
        <source>未列入</source>
        <translation>未列入</translation>
    </message>
    <message>
        <source>&lt;p style='color:#b3261e'&gt;已收回（{0}）&lt;/p&gt;</source>
        <translation>&lt;p style='color:#b3261e'&gt;已收回（{0}）&lt;/p&gt;</translation>
    </message>
    <message>
        <source>没有可用的图形显示（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run -a lishui-desk gui</source>
        <translation>没有可用的图形显示（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run -a lishui-desk gui</translation>
    </message>
    <message>
        <source>打开图形界面（解锁界面预选 --profile 指定的档案）</source>
        <translation>打开图形界面（解锁界面预选 --profile 指定的档案）</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>到期日</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>阶段</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>我的在办案件（按阶段）</source>
        <translation>我的在办案件（按阶段）</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>3日内到期</source>
        <translation>3日内到期</translation>
    </message>
    <message>
        <source>待法制审核意见</source>
        <translation>待法制审核意见</translation>
    </message>
    <message>
        <source>待公示</source>
        <translation>待公示</translation>
    </message>
    <message>
        <source>尚未登记到县级平台
待上传：{0} 条</source>
        <translation>尚未登记到县级平台
待上传：{0} 条</translation>
    </message>
    <message>
        <source>上次成功：{0}
待上传：{1} 条
隔离：{2} 条</source>
        <translation>上次成功：{0}
待上传：{1} 条
隔离：{2} 条</translation>
    </message>
    <message>
        <source>媒体不完整：{0} 件</source>
        <translation>媒体不完整：{0} 件</translation>
    </message>
    <message>
        <source>本机已被县级平台停用</source>
        <translation>本机已被县级平台停用</translation>
    </message>
    <message>
        <source>上次尝试未成功，详见“同步”页</source>
        <translation>上次尝试未成功，详见“同步”页</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>到期日　期限</source>
        <translation>到期日　期限</translation>
    </message>
    <message>
        <source>（线索）</source>
        <translation>（线索）</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>登记到县级平台</source>
        <translation>登记到县级平台</translation>
    </message>
    <message>
        <source>第一步：向县局索取本机的一次性登记码。
第二步：把登记码完整粘贴到下面，点“登记”。
登记码只能使用一次，登记后本机即可与县级平台同步。</source>
        <translation>第一步：向县局索取本机的一次性登记码。
第二步：把登记码完整粘贴到下面，点“登记”。
登记码只能使用一次，登记后本机即可与县级平台同步。</translation>
    </message>
    <message>
        <source>在此粘贴登记码</source>
        <translation>在此粘贴登记码</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>请先粘贴登记码</source>
        <translation>请先粘贴登记码</translation>
    </message>
    <message>
        <source>正在登记…</source>
        <translation>正在登记…</translation>
    </message>
    <message>
        <source>正在连接县级平台…</source>
        <translation>正在连接县级平台…</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>立即同步(&amp;S)</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>导出U盘包(&amp;X)…</source>
        <translation>导出U盘包(&amp;X)…</translation>
    </message>
    <message>
        <source>没有网络时：把待上传的记录和“仅U盘”的证据导出为加密数据包，带到县局导入</source>
        <translation>没有网络时：把待上传的记录和“仅U盘”的证据导出为加密数据包，带到县局导入</translation>
    </message>
    <message>
        <source>导入U盘包(&amp;I)…</source>
        <translation>导入U盘包(&amp;I)…</translation>
    </message>
    <message>
        <source>导入县局导出给本机的数据包：确认记录、参考数据、已用文号</source>
        <translation>导入县局导出给本机的数据包：确认记录、参考数据、已用文号</translation>
    </message>
    <message>
        <source>登记到县级平台(&amp;E)…</source>
        <translation>登记到县级平台(&amp;E)…</translation>
    </message>
    <message>
        <source>取消(&amp;C)</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>县级平台的理由</source>
        <translation>县级平台的理由</translation>
    </message>
    <message>
        <source>重新排队(&amp;Q)</source>
        <translation>重新排队(&amp;Q)</translation>
    </message>
    <message>
        <source>把所选条目放回待推送，下次同步时重发</source>
        <translation>把所选条目放回待推送，下次同步时重发</translation>
    </message>
    <message>
        <source>证据上传</source>
        <translation>证据上传</translation>
    </message>
    <message>
        <source>被县级平台隔离的条目</source>
        <translation>被县级平台隔离的条目</translation>
    </message>
    <message>
        <source>同步状态</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>第{0}条：{1}</source>
        <translation>第{0}条：{1}</translation>
    </message>
    <message>
        <source>被县级平台隔离的条目（{0}）</source>
        <translation>被县级平台隔离的条目（{0}）</translation>
    </message>
    <message>
        <source>县级平台收到但未接收这些记录（例如与县里已有的记录不衔接），其余记录照常同步。核实原因后可重新排队，下次同步时重发。</source>
        <translation>县级平台收到但未接收这些记录（例如与县里已有的记录不衔接），其余记录照常同步。核实原因后可重新排队，下次同步时重发。</translation>
    </message>
    <message>
        <source>没有被隔离的条目</source>
        <translation>没有被隔离的条目</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>正在与县级平台同步…</source>
        <translation>正在与县级平台同步…</translation>
    </message>
    <message>
        <source>同步未完成：{0}</source>
        <translation>同步未完成：{0}</translation>
    </message>
    <message>
        <source>证据上传（{0}）</source>
        <translation>证据上传（{0}）</translation>
    </message>
    <message>
        <source>停止下载：已下载的部分（加密保存）保留，下次从断点继续</source>
        <translation>停止下载：已下载的部分（加密保存）保留，下次从断点继续</translation>
    </message>
    <message>
        <source>停止上传：已送达的部分保留，下次从断点继续</source>
        <translation>停止上传：已送达的部分保留，下次从断点继续</translation>
    </message>
    <message>
        <source>一轮同步不能中途取消；县级平台已确认的记录不会丢失</source>
        <translation>一轮同步不能中途取消；县级平台已确认的记录不会丢失</translation>
    </message>
    <message>
        <source>导出、导入U盘包不能中途取消；完成前请勿拔出U盘</source>
        <translation>导出、导入U盘包不能中途取消；完成前请勿拔出U盘</translation>
    </message>
    <message>
        <source>案件记录已同步，但证据上传未完成</source>
        <translation>案件记录已同步，但证据上传未完成</translation>
    </message>
    <message>
        <source>正在上传证据…</source>
        <translation>正在上传证据…</translation>
    </message>
    <message>
        <source>证据上传：完成 {0} 个文件，本次发送 {1}（续传 {2} 次），尚余 {3}</source>
        <translation>证据上传：完成 {0} 个文件，本次发送 {1}（续传 {2} 次），尚余 {3}</translation>
    </message>
    <message>
        <source>正在下载证据…</source>
        <translation>正在下载证据…</translation>
    </message>
    <message>
        <source>下载证据：完成 {0} 个文件，本次接收 {1}（续传 {2} 次）</source>
        <translation>下载证据：完成 {0} 个文件，本次接收 {1}（续传 {2} 次）</translation>
    </message>
    <message>
        <source>；{0} 个文件县级平台尚未收齐，稍后再试</source>
        <translation>；{0} 个文件县级平台尚未收齐，稍后再试</translation>
    </message>
    <message>
        <source>；{0} 个文件与证据记录的哈希不符，未保存</source>
        <translation>；{0} 个文件与证据记录的哈希不符，未保存</translation>
    </message>
    <message>
        <source>未完成：{0}</source>
        <translation>未完成：{0}</translation>
    </message>
    <message>
        <source>至县级平台-{0}.lsb</source>
        <translation>至县级平台-{0}.lsb</translation>
    </message>
    <message>
        <source>导出U盘包</source>
        <translation>导出U盘包</translation>
    </message>
    <message>
        <source>执法数据包 (*.lsb)</source>
        <translation>执法数据包 (*.lsb)</translation>
    </message>
    <message>
        <source>正在导出U盘包…</source>
        <translation>正在导出U盘包…</translation>
    </message>
    <message>
        <source>已导出U盘包（第 {0} 号）：{1} 条待确认记录、{2} 个证据文件，共 {3}。请带到县局导入，再把县局返回的数据包导入本机，这些记录才算确认。</source>
        <translation>已导出U盘包（第 {0} 号）：{1} 条待确认记录、{2} 个证据文件，共 {3}。请带到县局导入，再把县局返回的数据包导入本机，这些记录才算确认。</translation>
    </message>
    <message>
        <source>另有 {0} 个“仅U盘”证据文件超出本包容量，下次导出时带上。</source>
        <translation>另有 {0} 个“仅U盘”证据文件超出本包容量，下次导出时带上。</translation>
    </message>
    <message>
        <source>导入U盘包</source>
        <translation>导入U盘包</translation>
    </message>
    <message>
        <source>执法数据包 (*.lsb);;所有文件 (*)</source>
        <translation>执法数据包 (*.lsb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>正在导入U盘包…</source>
        <translation>正在导入U盘包…</translation>
    </message>
    <message>
        <source>U盘包未处理：{0}</source>
        <translation>U盘包未处理：{0}</translation>
    </message>
    <message>
        <source>已重新排队，下次同步时重发</source>
        <translation>已重新排队，下次同步时重发</translation>
    </message>
    <message>
        <source>登记成功：{0}</source>
        <translation>登记成功：{0}</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>此U盘包（第 {0} 号）已导入过，无变化</source>
        <translation>此U盘包（第 {0} 号）已导入过，无变化</translation>
    </message>
    <message>
        <source>已导入县级数据包（第 {0} 号）：县级平台确认 {1} 条记录（重复 {2} 条），隔离 {3} 条，应用参考数据 {4} 条；仍待确认 {5} 条</source>
        <translation>已导入县级数据包（第 {0} 号）：县级平台确认 {1} 条记录（重复 {2} 条），隔离 {3} 条，应用参考数据 {4} 条；仍待确认 {5} 条</translation>
    </message>
    <message>
        <source>；县级平台确认收到证据文件 {0} 个</source>
        <translation>；县级平台确认收到证据文件 {0} 个</translation>
    </message>
    <message>
        <source>；已确认已用文号，恢复编号</source>
        <translation>；已确认已用文号，恢复编号</translation>
    </message>
    <message>
        <source>自动同步：未开启（登记后本机在启动时、每 15 分钟和网络恢复时自动同步）</source>
        <translation>自动同步：未开启（登记后本机在启动时、每 15 分钟和网络恢复时自动同步）</translation>
    </message>
    <message>
        <source>下次同步：点“立即同步”时</source>
        <translation>下次同步：点“立即同步”时</translation>
    </message>
    <message>
        <source>下次尝试 {0}（已连续 {1} 次未成功，间隔逐次加长）</source>
        <translation>下次尝试 {0}（已连续 {1} 次未成功，间隔逐次加长）</translation>
    </message>
    <message>
        <source>下次自动同步 {0}</source>
        <translation>下次自动同步 {0}</translation>
    </message>
    <message>
        <source>本机尚未登记到县级平台，案件记录只保存在本机。请向县局索取登记码后点“登记到县级平台”。
待上传：{0} 条</source>
        <translation>本机尚未登记到县级平台，案件记录只保存在本机。请向县局索取登记码后点“登记到县级平台”。
待上传：{0} 条</translation>
    </message>
    <message>
        <source>上次成功同步：{0}</source>
        <translation>上次成功同步：{0}</translation>
    </message>
    <message>
        <source>待上传：{0} 条；县级平台已确认：{1} 条；隔离：{2} 条</source>
        <translation>待上传：{0} 条；县级平台已确认：{1} 条；隔离：{2} 条</translation>
    </message>
    <message>
        <source>县级下发的参考数据有 {0} 条未能应用</source>
        <translation>县级下发的参考数据有 {0} 条未能应用</translation>
    </message>
    <message>
        <source>本机已被县级平台停用，需要重新登记</source>
        <translation>本机已被县级平台停用，需要重新登记</translation>
    </message>
    <message>
        <source>上次尝试（{0}）未成功：{1}</source>
        <translation>上次尝试（{0}）未成功：{1}</translation>
    </message>
    <message>
        <source>上次自动同步时证据上传未完成：{0}。案件记录不受影响；下次同步时从断点继续，也可点“上传证据”</source>
        <translation>上次自动同步时证据上传未完成：{0}。案件记录不受影响；下次同步时从断点继续，也可点“上传证据”</translation>
    </message>
    <message>
        <source>同步完成：上传 {0} 条（县级平台接收 {1} 条，隔离 {2} 条），收到参考数据 {3} 条；仍待上传 {4} 条</source>
        <translation>同步完成：上传 {0} 条（县级平台接收 {1} 条，隔离 {2} 条），收到参考数据 {3} 条；仍待上传 {4} 条</translation>
    </message>
    <message>
        <source>预览(&amp;V)</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <source>出具(&amp;I)</source>
        <translation>出具(&amp;I)</translation>
    </message>
    <message>
        <source>重印(&amp;R)</source>
        <translation>重印(&amp;R)</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>导出 PDF(&amp;E)…</source>
        <translation>导出 PDF(&amp;E)…</translation>
    </message>
    <message>
        <source>全案卷(&amp;C)</source>
        <translation>全案卷(&amp;C)</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>出具时间</source>
        <translation>出具时间</translation>
    </message>
    <message>
        <source>（无文号）</source>
        <translation>（无文号）</translation>
    </message>
    <message>
        <source>尚缺：</source>
        <translation>尚缺：</translation>
    </message>
    <message>
        <source>可以出具</source>
        <translation>可以出具</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <source>预览：</source>
        <translation>预览：</translation>
    </message>
    <message>
        <source>正在出具文书…</source>
        <translation>正在出具文书…</translation>
    </message>
    <message>
        <source>已出具：{0}</source>
        <translation>已出具：{0}</translation>
    </message>
    <message>
        <source>正在重印…</source>
        <translation>正在重印…</translation>
    </message>
    <message>
        <source>正在生成全案卷…</source>
        <translation>正在生成全案卷…</translation>
    </message>
    <message>
        <source>全案卷</source>
        <translation>全案卷</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>出具日期</source>
        <translation>出具日期</translation>
    </message>
    <message>
        <source>扫描或粘贴文书上的二维码内容，如 LSD1|…|…</source>
        <translation>扫描或粘贴文书上的二维码内容，如 LSD1|…|…</translation>
    </message>
    <message>
        <source>核验(&amp;V)</source>
        <translation>核验(&amp;V)</translation>
    </message>
    <message>
        <source>打印所选(&amp;B)…</source>
        <translation>打印所选(&amp;B)…</translation>
    </message>
    <message>
        <source>导出所选到文件夹(&amp;F)…</source>
        <translation>导出所选到文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>尚未出具任何文书：在案件的“文书”页预览并出具后，会列在这里</source>
        <translation>尚未出具任何文书：在案件的“文书”页预览并出具后，会列在这里</translation>
    </message>
    <message>
        <source>✓ 核验通过：{0}（案件 {1}，出具于 {2}）</source>
        <translation>✓ 核验通过：{0}（案件 {1}，出具于 {2}）</translation>
    </message>
    <message>
        <source>✗ 核验未通过：{0}</source>
        <translation>✗ 核验未通过：{0}</translation>
    </message>
    <message>
        <source>正在准备打印…</source>
        <translation>正在准备打印…</translation>
    </message>
    <message>
        <source>正在重印所选文书…</source>
        <translation>正在重印所选文书…</translation>
    </message>
    <message>
        <source>打印所选文书（{0} 份）</source>
        <translation>打印所选文书（{0} 份）</translation>
    </message>
    <message>
        <source>已取消打印</source>
        <translation>已取消打印</translation>
    </message>
    <message>
        <source>已打印 {0} 份，共 {1} 页</source>
        <translation>已打印 {0} 份，共 {1} 页</translation>
    </message>
    <message>
        <source>打印机未能开始打印，请检查打印机或改用“导出所选到文件夹”</source>
        <translation>打印机未能开始打印，请检查打印机或改用“导出所选到文件夹”</translation>
    </message>
    <message>
        <source>选择导出目录</source>
        <translation>选择导出目录</translation>
    </message>
    <message>
        <source>正在导出文书…</source>
        <translation>正在导出文书…</translation>
    </message>
    <message>
        <source>已导出 {0} 份到 {1}</source>
        <translation>已导出 {0} 份到 {1}</translation>
    </message>
    <message>
        <source>工作台</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>事项目录</source>
        <translation>事项目录</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>丽水乡镇综合执法办案</source>
        <translation>丽水乡镇综合执法办案</translation>
    </message>
    <message>
        <source>处理中…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>丽水乡镇综合执法办案 — {0}</source>
        <translation>丽水乡镇综合执法办案 — {0}</translation>
    </message>
    <message>
        <source>已完成今日自动备份：{0}</source>
        <translation>已完成今日自动备份：{0}</translation>
    </message>
    <message>
        <source>已恢复 {0} 份未保存的表单</source>
        <translation>已恢复 {0} 份未保存的表单</translation>
    </message>
    <message>
        <source>已锁定：请重新输入口令；未保存的表单会在解锁后恢复</source>
        <translation>已锁定：请重新输入口令；未保存的表单会在解锁后恢复</translation>
    </message>
    <message>
        <source>档案已锁定，请先解锁</source>
        <translation>档案已锁定，请先解锁</translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>内部错误：{0}: {1}</source>
        <translation>内部错误：{0}: {1}</translation>
    </message>
    <message>
        <source>{0}  共 {1} 页</source>
        <translation>{0}  共 {1} 页</translation>
    </message>
    <message>
        <source>打印文书</source>
        <translation>打印文书</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>（系统默认）</source>
        <translation>（系统默认）</translation>
    </message>
    <message>
        <source>简体中文</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <source>无操作自动锁定：</source>
        <translation>无操作自动锁定：</translation>
    </message>
    <message>
        <source>默认打印机：</source>
        <translation>默认打印机：</translation>
    </message>
    <message>
        <source>界面语言：</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>数据目录：</source>
        <translation>数据目录：</translation>
    </message>
    <message>
        <source>常规</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>检查字体(&amp;T)</source>
        <translation>检查字体(&amp;T)</translation>
    </message>
    <message>
        <source>字体</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>保存文书设置(&amp;D)</source>
        <translation>保存文书设置(&amp;D)</translation>
    </message>
    <message>
        <source>文书设置（缴款银行、账号等，印在决定书上）</source>
        <translation>文书设置（缴款银行、账号等，印在决定书上）</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>备份（加密，含数据库、证据和密钥文件）</source>
        <translation>备份（加密，含数据库、证据和密钥文件）</translation>
    </message>
    <message>
        <source>备份到文件夹或U盘…(&amp;B)</source>
        <translation>备份到文件夹或U盘…(&amp;B)</translation>
    </message>
    <message>
        <source> 份</source>
        <translation> 份</translation>
    </message>
    <message>
        <source>每日自动备份保留：</source>
        <translation>每日自动备份保留：</translation>
    </message>
    <message>
        <source>常规与文书</source>
        <translation>常规与文书</translation>
    </message>
    <message>
        <source>字体与关于</source>
        <translation>字体与关于</translation>
    </message>
    <message>
        <source>选择备份到的文件夹（如U盘）</source>
        <translation>选择备份到的文件夹（如U盘）</translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>正在备份档案…</source>
        <translation>正在备份档案…</translation>
    </message>
    <message>
        <source>已备份到 {0}（{1:.1f} MiB）</source>
        <translation>已备份到 {0}（{1:.1f} MiB）</translation>
    </message>
    <message>
        <source>：</source>
        <translation>：</translation>
    </message>
    <message>
        <source>已保存 {0} 项</source>
        <translation>已保存 {0} 项</translation>
    </message>
    <message>
        <source>&lt;p&gt;汉字覆盖：CJK 基本区 {0}/{1}；GB 2312 一级 {2}/{3}；二级 {4}/{5}&lt;/p&gt;</source>
        <translation>&lt;p&gt;汉字覆盖：CJK 基本区 {0}/{1}；GB 2312 一级 {2}/{3}；二级 {4}/{5}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>正文</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>楷体</source>
        <translation>楷体</translation>
    </message>
    <message>
        <source>黑体标题</source>
        <translation>黑体标题</translation>
    </message>
    <message>
        <source>后备</source>
        <translation>后备</translation>
    </message>
    <message>
        <source>&lt;li&gt;{0}（{1}）— {2}；基本区汉字 {3} 个&lt;/li&gt;</source>
        <translation>&lt;li&gt;{0}（{1}）— {2}；基本区汉字 {3} 个&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;丽水乡镇综合执法办案桌面端 {0}&lt;/p&gt;&lt;p&gt;数据库结构版本：{1}；事项目录版本：{2}；乡镇：{3}&lt;/p&gt;&lt;p&gt;案件 {4} 件；事件 {5} 条；证据 {6} 件；文书 {7} 份&lt;/p&gt;&lt;p&gt;PySide6 {8}；SQLAlchemy {9}&lt;/p&gt;</source>
        <translation>&lt;p&gt;丽水乡镇综合执法办案桌面端 {0}&lt;/p&gt;&lt;p&gt;数据库结构版本：{1}；事项目录版本：{2}；乡镇：{3}&lt;/p&gt;&lt;p&gt;案件 {4} 件；事件 {5} 条；证据 {6} 件；文书 {7} 份&lt;/p&gt;&lt;p&gt;PySide6 {8}；SQLAlchemy {9}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>大写锁定已打开</source>
        <translation>大写锁定已打开</translation>
    </message>
    <message>
        <source>解锁(&amp;U)</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>新建档案(&amp;N)…</source>
        <translation>新建档案(&amp;N)…</translation>
    </message>
    <message>
        <source>档案：</source>
        <translation>档案：</translation>
    </message>
    <message>
        <source>口令：</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>没有名为“{0}”的档案，请新建或选择其他档案</source>
        <translation>没有名为“{0}”的档案，请新建或选择其他档案</translation>
    </message>
    <message>
        <source>还没有档案：请点“新建档案”完成首次设置</source>
        <translation>还没有档案：请点“新建档案”完成首次设置</translation>
    </message>
    <message>
        <source>请输入口令</source>
        <translation>请输入口令</translation>
    </message>
    <message>
        <source>正在解锁…</source>
        <translation>正在解锁…</translation>
    </message>
    <message>
        <source>口令错误次数过多，请等待 {0} 秒后再试</source>
        <translation>口令错误次数过多，请等待 {0} 秒后再试</translation>
    </message>
    <message>
        <source>新建档案</source>
        <translation>新建档案</translation>
    </message>
    <message>
        <source>字母或数字，例如 badu-zhang</source>
        <translation>字母或数字，例如 badu-zhang</translation>
    </message>
    <message>
        <source>县级恢复公钥文件（可稍后导入）</source>
        <translation>县级恢复公钥文件（可稍后导入）</translation>
    </message>
    <message>
        <source>选择文件(&amp;F)…</source>
        <translation>选择文件(&amp;F)…</translation>
    </message>
    <message>
        <source>档案名：</source>
        <translation>档案名：</translation>
    </message>
    <message>
        <source>乡镇（街道）：</source>
        <translation>乡镇（街道）：</translation>
    </message>
    <message>
        <source>执法人员姓名：</source>
        <translation>执法人员姓名：</translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation>执法人员</translation>
    </message>
    <message>
        <source>负责人</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>法制审核</source>
        <translation>法制审核</translation>
    </message>
    <message>
        <source>辅助人员</source>
        <translation>辅助人员</translation>
    </message>
    <message>
        <source>请填写姓名</source>
        <translation>请填写姓名</translation>
    </message>
    <message>
        <source>请填写执法证号（辅助人员填工作证号）</source>
        <translation>请填写执法证号（辅助人员填工作证号）</translation>
    </message>
    <message>
        <source>执法证号不能含空格，最多 {0} 个字符</source>
        <translation>执法证号不能含空格，最多 {0} 个字符</translation>
    </message>
    <message>
        <source>执法证号 {0} 已登记（含已停用人员），同一证号只能登记一次</source>
        <translation>执法证号 {0} 已登记（含已停用人员），同一证号只能登记一次</translation>
    </message>
    <message>
        <source>请填写执法证有效期（执法人员须持有有效执法证件，{0}）</source>
        <translation>请填写执法证有效期（执法人员须持有有效执法证件，{0}）</translation>
    </message>
    <message>
        <source>执法证已于 {0} 过期，过期证件不能用于执法（{1}）</source>
        <translation>执法证已于 {0} 过期，过期证件不能用于执法（{1}）</translation>
    </message>
    <message>
        <source>执法人员名册</source>
        <translation>执法人员名册</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>法制审核资格</source>
        <translation>法制审核资格</translation>
    </message>
    <message>
        <source>{0:.1f} MB</source>
        <translation>{0:.1f} MB</translation>
    </message>
    <message>
        <source>{0:.0f} KB</source>
        <translation>{0:.0f} KB</translation>
    </message>
    <message>
        <source>{0} 字节</source>
        <translation>{0} 字节</translation>
    </message>
    <message>
        <source>完成时间：上传一次后按实测速率估算</source>
        <translation>完成时间：上传一次后按实测速率估算</translation>
    </message>
    <message>
        <source>按实测速率约需 {0} 分钟</source>
        <translation>按实测速率约需 {0} 分钟</translation>
    </message>
    <message>
        <source>按实测速率约需 {0:.1f} 小时</source>
        <translation>按实测速率约需 {0:.1f} 小时</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>上传证据(&amp;U)</source>
        <translation>上传证据(&amp;U)</translation>
    </message>
    <message>
        <source>按文书、照片、录音、录像的顺序断点续传；标为“仅U盘”的文件不经网络</source>
        <translation>按文书、照片、录音、录像的顺序断点续传；标为“仅U盘”的文件不经网络</translation>
    </message>
    <message>
        <source>仅U盘传送(&amp;B)</source>
        <translation>仅U盘传送(&amp;B)</translation>
    </message>
    <message>
        <source>所选文件不经网络上传，改由U盘包带到县局（适合很大的录像）</source>
        <translation>所选文件不经网络上传，改由U盘包带到县局（适合很大的录像）</translation>
    </message>
    <message>
        <source>下载证据(&amp;D)</source>
        <translation>下载证据(&amp;D)</translation>
    </message>
    <message>
        <source>从县级平台下载本乡镇其他设备记录的证据文件（断点续传，核对哈希后保存）</source>
        <translation>从县级平台下载本乡镇其他设备记录的证据文件（断点续传，核对哈希后保存）</translation>
    </message>
    <message>
        <source>（未命名）</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>待下载 {0} 个证据文件（{1}）</source>
        <translation>待下载 {0} 个证据文件（{1}）</translation>
    </message>
    <message>
        <source>登记到县级平台后，证据文件在这里排队上传</source>
        <translation>登记到县级平台后，证据文件在这里排队上传</translation>
    </message>
    <message>
        <source>所有证据文件均已送达县级平台</source>
        <translation>所有证据文件均已送达县级平台</translation>
    </message>
    <message>
        <source>媒体不完整：{0} 件案件的 {1} 个证据文件尚未送达</source>
        <translation>媒体不完整：{0} 件案件的 {1} 个证据文件尚未送达</translation>
    </message>
    <message>
        <source>（其中 {0} 个仅U盘传送）</source>
        <translation>（其中 {0} 个仅U盘传送）</translation>
    </message>
    <message>
        <source>；经网络已上传 {0} / {1}</source>
        <translation>；经网络已上传 {0} / {1}</translation>
    </message>
    <message>
        <source>；</source>
        <translation>；</translation>
    </message>
    <message>
        <source>正在下载证据：已下载 {0} / {1}</source>
        <translation>正在下载证据：已下载 {0} / {1}</translation>
    </message>
    <message>
        <source>正在上传第 {0}/{1} 个文件：已上传 {2} / {3}；{4}</source>
        <translation>正在上传第 {0}/{1} 个文件：已上传 {2} / {3}；{4}</translation>
    </message>
    <message>
        <source>显示已停用人员</source>
        <translation>显示已停用人员</translation>
    </message>
    <message>
        <source>停用所选(&amp;R)…</source>
        <translation>停用所选(&amp;R)…</translation>
    </message>
    <message>
        <source>如 ZJ-3311-0003</source>
        <translation>如 ZJ-3311-0003</translation>
    </message>
    <message>
        <source>具有法制审核资格</source>
        <translation>具有法制审核资格</translation>
    </message>
    <message>
        <source>2021年7月15日以后初次从事法制审核的人员，应当取得法律职业资格（《中华人民共和国行政处罚法》第五十八条第二款）</source>
        <translation>2021年7月15日以后初次从事法制审核的人员，应当取得法律职业资格（《中华人民共和国行政处罚法》第五十八条第二款）</translation>
    </message>
    <message>
        <source>添加人员(&amp;A)</source>
        <translation>添加人员(&amp;A)</translation>
    </message>
    <message>
        <source>姓名：</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>执法证号：</source>
        <translation>执法证号：</translation>
    </message>
    <message>
        <source>证件有效期至：</source>
        <translation>证件有效期至：</translation>
    </message>
    <message>
        <source>角色：</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>开始从事法制审核：</source>
        <translation>开始从事法制审核：</translation>
    </message>
    <message>
        <source>（本人）</source>
        <translation>（本人）</translation>
    </message>
    <message>
        <source>有</source>
        <translation>有</translation>
    </message>
    <message>
        <source>在职</source>
        <translation>在职</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>✓ 已添加：{0}（{1}）</source>
        <translation>✓ 已添加：{0}（{1}）</translation>
    </message>
    <message>
        <source>停用执法人员</source>
        <translation>停用执法人员</translation>
    </message>
    <message>
        <source>停用 {0}（{1}）？停用后不再出现在各环节的执法人员选项中；已有记录中的署名保留。</source>
        <translation>停用 {0}（{1}）？停用后不再出现在各环节的执法人员选项中；已有记录中的署名保留。</translation>
    </message>
    <message>
        <source>已停用：{0}</source>
        <translation>已停用：{0}</translation>
    </message>
    <message>
        <source>执法证有效期至：</source>
        <translation>执法证有效期至：</translation>
    </message>
    <message>
        <source>再次输入口令：</source>
        <translation>再次输入口令：</translation>
    </message>
    <message>
        <source>恢复公钥：</source>
        <translation>恢复公钥：</translation>
    </message>
    <message>
        <source>创建</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>乡镇区划代码（9位）</source>
        <translation>乡镇区划代码（9位）</translation>
    </message>
    <message>
        <source>选择县级恢复公钥文件</source>
        <translation>选择县级恢复公钥文件</translation>
    </message>
    <message>
        <source>请填写档案名</source>
        <translation>请填写档案名</translation>
    </message>
    <message>
        <source>请选择乡镇（街道）</source>
        <translation>请选择乡镇（街道）</translation>
    </message>
    <message>
        <source>请填写执法人员姓名</source>
        <translation>请填写执法人员姓名</translation>
    </message>
    <message>
        <source>请填写执法证号（《中华人民共和国行政处罚法》第四十二条）</source>
        <translation>请填写执法证号（《中华人民共和国行政处罚法》第四十二条）</translation>
    </message>
    <message>
        <source>口令至少8位</source>
        <translation>口令至少8位</translation>
    </message>
    <message>
        <source>两次输入的口令不一致</source>
        <translation>两次输入的口令不一致</translation>
    </message>
    <message>
        <source>正在创建档案并加密数据库…</source>
        <translation>正在创建档案并加密数据库…</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>依据县级政策：{0}</source>
        <translation>依据县级政策：{0}</translation>
    </message>
    <message>
        <source>依据：{0}</source>
        <translation>依据：{0}</translation>
    </message>
    <message>
        <source>操作未完成</source>
        <translation>操作未完成</translation>
    </message>
    <message>
        <source>程序规则不允许这一步：</source>
        <translation>程序规则不允许这一步：</translation>
    </message>
    <message>
        <source>✗ </source>
        <translation>✗ </translation>
    </message>
    <message>
        <source>⚠ </source>
        <translation>⚠ </translation>
    </message>
    <message>
        <source>未知人员</source>
        <translation>未知人员</translation>
    </message>
    <message>
        <source>本机记录的分支（{0}，{1} 条）</source>
        <translation>本机记录的分支（{0}，{1} 条）</translation>
    </message>
    <message>
        <source>另一台设备记录的分支（{0}，{1} 条）</source>
        <translation>另一台设备记录的分支（{0}，{1} 条）</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>执行人</source>
        <translation>执行人</translation>
    </message>
    <message>
        <source>处理记录分叉</source>
        <translation>处理记录分叉</translation>
    </message>
    <message>
        <source>本案在两台设备离线期间分别记录了后续步骤，自第 {0} 条起出现两条分支，两条分支都已完整保存。处理分叉前本案不能继续办理（全过程记录须为一条完整的记录链，《中华人民共和国行政处罚法》第四十七条）。请核实实际发生的情况，选择采用哪一条分支并写明理由；处理记录本身也记入全过程记录。</source>
        <translation>本案在两台设备离线期间分别记录了后续步骤，自第 {0} 条起出现两条分支，两条分支都已完整保存。处理分叉前本案不能继续办理（全过程记录须为一条完整的记录链，《中华人民共和国行政处罚法》第四十七条）。请核实实际发生的情况，选择采用哪一条分支并写明理由；处理记录本身也记入全过程记录。</translation>
    </message>
    <message>
        <source>采用后办案阶段：{0}</source>
        <translation>采用后办案阶段：{0}</translation>
    </message>
    <message>
        <source>使用的文号：{0}</source>
        <translation>使用的文号：{0}</translation>
    </message>
    <message>
        <source>含有办案步骤（不只是证据、笔录等记录）</source>
        <translation>含有办案步骤（不只是证据、笔录等记录）</translation>
    </message>
    <message>
        <source>处理方式</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <source>采用本机记录的分支（{0}）</source>
        <translation>采用本机记录的分支（{0}）</translation>
    </message>
    <message>
        <source>采用另一台设备记录的分支（{0}）</source>
        <translation>采用另一台设备记录的分支（{0}）</translation>
    </message>
    <message>
        <source>：另一分支保留在记录中，不再生效</source>
        <translation>：另一分支保留在记录中，不再生效</translation>
    </message>
    <message>
        <source>两条分支都生效（仅当另一分支只有证据、笔录等记录，没有改变办案阶段的步骤时）</source>
        <translation>两条分支都生效（仅当另一分支只有证据、笔录等记录，没有改变办案阶段的步骤时）</translation>
    </message>
    <message>
        <source>两条分支都含有改变办案阶段的步骤，只能采用其中一条</source>
        <translation>两条分支都含有改变办案阶段的步骤，只能采用其中一条</translation>
    </message>
    <message>
        <source>处理理由（必填）：例如核实了哪台设备记录的情况与实际相符</source>
        <translation>处理理由（必填）：例如核实了哪台设备记录的情况与实际相符</translation>
    </message>
    <message>
        <source>记录分叉处理</source>
        <translation>记录分叉处理</translation>
    </message>
    <message>
        <source>处理理由</source>
        <translation>处理理由</translation>
    </message>
    <message>
        <source>请选择处理方式并填写处理理由</source>
        <translation>请选择处理方式并填写处理理由</translation>
    </message>
    <message>
        <source>正在记录…</source>
        <translation>正在记录…</translation>
    </message>
    <message>
        <source>本案记录出现分叉（自第 {0} 条起有两条分支），处理分叉前不能继续办理。</source>
        <translation>本案记录出现分叉（自第 {0} 条起有两条分支），处理分叉前不能继续办理。</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>校验</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>（更正）</source>
        <translation>（更正）</translation>
    </message>
    <message>
        <source>✗ 哈希不符</source>
        <translation>✗ 哈希不符</translation>
    </message>
    <message>
        <source>（另一分支，待处理分叉）</source>
        <translation>（另一分支，待处理分叉）</translation>
    </message>
    <message>
        <source>（未采用的分支，保留在记录中）</source>
        <translation>（未采用的分支，保留在记录中）</translation>
    </message>
    <message>
        <source>（同一内容已在记录中，此份不重复计入）</source>
        <translation>（同一内容已在记录中，此份不重复计入）</translation>
    </message>
    <message>
        <source>本条哈希 {0}</source>
        <translation>本条哈希 {0}</translation>
    </message>
    <message>
        <source>证明内容（可留空，默认为文件名）</source>
        <translation>证明内容（可留空，默认为文件名）</translation>
    </message>
    <message>
        <source>导入文件(&amp;I)…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <source>导出(&amp;X)…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>可把照片、录音、录像、扫描件直接拖到这里</source>
        <translation>可把照片、录音、录像、扫描件直接拖到这里</translation>
    </message>
    <message>
        <source>种类</source>
        <translation>种类</translation>
    </message>
    <message>
        <source>登记在案（无电子文件）</source>
        <translation>登记在案（无电子文件）</translation>
    </message>
    <message>
        <source>在县级平台（未下载）</source>
        <translation>在县级平台（未下载）</translation>
    </message>
    <message>
        <source>✓ 完整</source>
        <translation>✓ 完整</translation>
    </message>
    <message>
        <source>✗ 文件与登记哈希不符</source>
        <translation>✗ 文件与登记哈希不符</translation>
    </message>
    <message>
        <source>该证据文件在县级平台（未下载）：请先在“同步”页点“下载证据”，再导出</source>
        <translation>该证据文件在县级平台（未下载）：请先在“同步”页点“下载证据”，再导出</translation>
    </message>
    <message>
        <source>{0}
SHA-256 {1}
{2} 字节
{3} {4}</source>
        <translation>{0}
SHA-256 {1}
{2} 字节
{3} {4}</translation>
    </message>
    <message>
        <source>该文件由本乡镇的另一台设备记录，尚未下载到本机：在“同步”页点“下载证据”后可查看和导出</source>
        <translation>该文件由本乡镇的另一台设备记录，尚未下载到本机：在“同步”页点“下载证据”后可查看和导出</translation>
    </message>
    <message>
        <source>选择证据文件</source>
        <translation>选择证据文件</translation>
    </message>
    <message>
        <source>证据文件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.mp4 *.mov *.avi *.mp3 *.wav *.m4a *.amr *.pdf);;所有文件 (*)</source>
        <translation>证据文件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.mp4 *.mov *.avi *.mp3 *.wav *.m4a *.amr *.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>正在载入…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <source>{0}～{1}</source>
        <translation>{0}～{1}</translation>
    </message>
    <message>
        <source>最早 {0} 天</source>
        <translation>最早 {0} 天</translation>
    </message>
    <message>
        <source>剩余</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>暂无法计算</source>
        <translation>暂无法计算</translation>
    </message>
    <message>
        <source>⚠ {0}：{1}</source>
        <translation>⚠ {0}：{1}</translation>
    </message>
    <message>
        <source>{0} {1}（{2}年节假日安排未载入，可能的届满区间，请按最早日期办理）</source>
        <translation>{0} {1}（{2}年节假日安排未载入，可能的届满区间，请按最早日期办理）</translation>
    </message>
    <message>
        <source>全过程记录</source>
        <translation>全过程记录</translation>
    </message>
    <message>
        <source>{0}：暂无法计算到期日</source>
        <translation>{0}：暂无法计算到期日</translation>
    </message>
    <message>
        <source>无进行中的期限</source>
        <translation>无进行中的期限</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>办理(&amp;D)</source>
        <translation>办理(&amp;D)</translation>
    </message>
    <message>
        <source>建议下一步</source>
        <translation>建议下一步</translation>
    </message>
    <message>
        <source>尚不能“{0}”：原因见下方“尚缺”</source>
        <translation>尚不能“{0}”：原因见下方“尚缺”</translation>
    </message>
    <message>
        <source>尚不能“{0}”：除下方“尚缺”所列外，还因</source>
        <translation>尚不能“{0}”：除下方“尚缺”所列外，还因</translation>
    </message>
    <message>
        <source>尚不能“{0}”：</source>
        <translation>尚不能“{0}”：</translation>
    </message>
    <message>
        <source>其他可办理</source>
        <translation>其他可办理</translation>
    </message>
    <message>
        <source>可办理</source>
        <translation>可办理</translation>
    </message>
    <message>
        <source>暂不可办理（{0}）</source>
        <translation>暂不可办理（{0}）</translation>
    </message>
    <message>
        <source>本阶段没有待办理的环节</source>
        <translation>本阶段没有待办理的环节</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>尚缺</source>
        <translation>尚缺</translation>
    </message>
    <message>
        <source>其他操作</source>
        <translation>其他操作</translation>
    </message>
    <message>
        <source>（未立案）</source>
        <translation>（未立案）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;　当事人：{1}　事项：{2}&lt;br&gt;阶段：&lt;b&gt;{3}&lt;/b&gt;　下一期限：{4}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;　当事人：{1}　事项：{2}&lt;br&gt;阶段：&lt;b&gt;{3}&lt;/b&gt;　下一期限：{4}</translation>
    </message>
    <message>
        <source>（未登记）</source>
        <translation>（未登记）</translation>
    </message>
    <message>
        <source>（未选定）</source>
        <translation>（未选定）</translation>
    </message>
    <message>
        <source>✓ 记录完整</source>
        <translation>✓ 记录完整</translation>
    </message>
    <message>
        <source>✗ 记录链校验失败</source>
        <translation>✗ 记录链校验失败</translation>
    </message>
    <message>
        <source>线索</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>证据（{0}）</source>
        <translation>证据（{0}）</translation>
    </message>
    <message>
        <source>文书（{0}）</source>
        <translation>文书（{0}）</translation>
    </message>
    <message>
        <source>本案有 {0} 个证据文件尚未送达县级平台（见“同步”页的证据上传）</source>
        <translation>本案有 {0} 个证据文件尚未送达县级平台（见“同步”页的证据上传）</translation>
    </message>
    <message>
        <source>已逾期 {0} 天</source>
        <translation>已逾期 {0} 天</translation>
    </message>
    <message>
        <source>{0} 天</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>规则编号：{0}</source>
        <translation>规则编号：{0}</translation>
    </message>
    <message>
        <source>正在加密导入证据…</source>
        <translation>正在加密导入证据…</translation>
    </message>
    <message>
        <source>导出证据</source>
        <translation>导出证据</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>媒体不完整</source>
        <translation>媒体不完整</translation>
    </message>
    <message>
        <source>有证据文件尚未送达县级平台（见“同步”页的证据上传）</source>
        <translation>有证据文件尚未送达县级平台（见“同步”页的证据上传）</translation>
    </message>
    <message>
        <source>{0}（记录分叉）</source>
        <translation>{0}（记录分叉）</translation>
    </message>
    <message>
        <source>两台设备离线时分别记录了本案，处理分叉前不能继续办理（打开案件后点“处理分叉”）</source>
        <translation>两台设备离线时分别记录了本案，处理分叉前不能继续办理（打开案件后点“处理分叉”）</translation>
    </message>
    <message>
        <source>已取消：已送达的部分保留，下次从断点继续</source>
        <translation>已取消：已送达的部分保留，下次从断点继续</translation>
    </message>
    <message>
        <source>处理分叉(&amp;F)…</source>
        <translation>处理分叉(&amp;F)…</translation>
    </message>
    <message>
        <source>查看两台设备分别记录的分支，选择采用哪一条并写明理由</source>
        <translation>查看两台设备分别记录的分支，选择采用哪一条并写明理由</translation>
    </message>
    <message>
        <source>本案记录出现分叉：两台设备离线时分别记录了后续步骤，处理分叉前不能继续办理。</source>
        <translation>本案记录出现分叉：两台设备离线时分别记录了后续步骤，处理分叉前不能继续办理。</translation>
    </message>
    <message>
        <source>读取本机证据文件出错（{0}）</source>
        <translation>读取本机证据文件出错（{0}）</translation>
    </message>
</context>
</TS>