import type { BuiltinTemplate } from './templates.repository';

type Entry = Omit<BuiltinTemplate, 'key' | 'version' | 'language'> & { slug: string };

/*
 * Thư viện mẫu tiếng Việt. Câu đầu là lời chào riêng (có biến), phần sau dùng chung cho mọi người nhận nên
 * không có biến (splitScript), để chiến dịch dựng phần chung một lần. Lời nói xưng "em", gọi "anh chị";
 * cột tùy chọn "Xưng hô" (biến xung_ho: anh / chị) làm lời chào gọi đúng người. Khoảng 20–40 giây.
 * In the written texts (subject, body, caption) the unknown form is written "anh/chị", as emails do.
 */
const XH = 'Thêm cột "Xưng hô" (anh/chị) vào danh bạ để lời chào gọi đúng từng người.';

export const VI: Entry[] = [
  {
    slug: 'cold_outreach',
    use_case: 'sales',
    name: 'Chào hàng lần đầu',
    description: `Lần đầu liên hệ với khách chưa quen: giới thiệu ngắn, vì sao là họ, một đề nghị nhỏ. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, em quay video ngắn này gửi riêng cho {{xung_ho|anh chị}} bên {{company|quý công ty}}. Em xin phép nói thật ngắn, chừng ba mươi giây thôi ạ. Bên em đang giúp nhiều doanh nghiệp bớt đi những việc lặp đi lặp lại, tốn thời gian mỗi ngày. Thường chỉ sau tháng đầu tiên, mỗi người trong nhóm đã tiết kiệm được vài tiếng mỗi tuần. Em không cần anh chị cam kết gì cả, chỉ mong có mười lăm phút để trao đổi xem có phù hợp không. Nếu thấy hay, anh chị cứ trả lời email này và chọn giúp em một thời gian thuận tiện nhé. Em cảm ơn anh chị đã xem video!',
    subject: 'Video 30 giây gửi riêng {{xung_ho|anh/chị}} {{first_name}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nThay vì một email dài, em gửi {{xung_ho|anh/chị}} video ngắn này:\n\n{{video}}\n\nNếu thấy phù hợp, {{xung_ho|anh/chị}} chỉ cần trả lời email kèm thời gian thuận tiện cho một cuộc gọi 15 phút.\n\nTrân trọng,',
    poster_caption: 'Gửi {{xung_ho|anh/chị}} {{first_name}}',
  },
  {
    slug: 'follow_up',
    use_case: 'sales',
    name: 'Nhắc lại sau email đầu',
    description: `Nhắc nhẹ khi email trước chưa được trả lời, kèm hai cách dễ để đồng ý. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, em gửi video này để tiếp nối email trước em gửi {{xung_ho|anh chị}} bên {{company|quý công ty}}. Em biết mỗi ngày hộp thư rất nhiều, nên em nói ngắn thôi ạ. Tóm lại, bên em có thể giúp một phần công việc thủ công, tốn thời gian trong tuần tự động chạy, mà không phải thay đổi công cụ anh chị đang dùng. Em rất muốn được trình bày trong một cuộc gọi ngắn, hoặc em gửi anh chị một đoạn ghi hình hai phút nếu tiện hơn. Anh chị chỉ cần trả lời email này cho em biết nhé. Em cảm ơn anh chị!',
    subject: 'Em gửi {{xung_ho|anh/chị}} {{first_name}} một video ngắn',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nEm nhắc lại email trước bằng một video ngắn:\n\n{{video}}\n\nKhông biết {{xung_ho|anh/chị}} muốn một cuộc gọi 15 phút hay một đoạn ghi hình 2 phút? Chỉ cần trả lời một chữ thôi ạ.\n\nEm cảm ơn,',
    poster_caption: 'Gửi {{xung_ho|anh/chị}} {{first_name}}',
  },
  {
    slug: 'product_demo',
    use_case: 'sales',
    name: 'Mời xem demo sản phẩm',
    description: `Trước buổi demo: nội dung buổi gặp, không cần chuẩn bị gì, cách đặt lịch. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, cảm ơn {{xung_ho|anh chị}} đã đăng ký xem demo cho {{company|quý công ty}}. Trước buổi gặp, em muốn giới thiệu nhanh để anh chị biết mình sẽ xem những gì. Trong hai mươi phút, em sẽ đi qua ba tính năng mà khách hàng bên em dùng hằng ngày, với ví dụ sát với công việc của anh chị. Sau đó mình dành thời gian cho các câu hỏi, và em sẽ gửi bảng giá phù hợp với quy mô đội ngũ. Anh chị không cần chuẩn bị gì cả. Chỉ cần chọn giờ qua đường dẫn trong email, em sẽ gửi lịch hẹn ngay. Hẹn sớm gặp anh chị nhé!',
    subject: 'Trước buổi demo: video ngắn gửi {{xung_ho|anh/chị}} {{first_name}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nEm gửi {{xung_ho|anh/chị}} video giới thiệu nhanh buổi demo:\n\n{{video}}\n\nKhi {{xung_ho|anh/chị}} chọn giờ thuận tiện, em sẽ gửi lịch hẹn ngay.\n\nHẹn gặp {{xung_ho|anh/chị}},',
    poster_caption: 'Buổi demo của {{xung_ho|anh/chị}} {{first_name}}',
  },
  {
    slug: 'onboarding',
    use_case: 'customer_success',
    name: 'Chào mừng khách hàng mới',
    description: `Tuần đầu của khách hàng mới: người hỗ trợ riêng, ba bước đầu tiên, phản hồi trong ngày. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, chào mừng {{xung_ho|anh chị}} và {{company|quý công ty}} đã đồng hành cùng bên em! Em là người hỗ trợ trực tiếp, sẽ cùng anh chị thiết lập mọi thứ trong tuần đầu tiên. Anh chị bắt đầu với ba bước trong email này nhé: mời đồng nghiệp, kết nối tài khoản và thử dự án đầu tiên. Phần lớn các nhóm chỉ mất chưa tới một tiếng là xong. Nếu có chỗ nào chưa rõ, anh chị cứ trả lời email này, em sẽ phản hồi ngay trong ngày. Em rất vui được làm việc cùng anh chị!',
    subject: 'Chào mừng {{xung_ho|anh/chị}} {{first_name}}! Ba bước đầu tiên',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nChào mừng {{xung_ho|anh/chị}}! Em gửi một video ngắn:\n\n{{video}}\n\nBa bước đầu tiên:\n1. Mời đồng nghiệp\n2. Kết nối tài khoản\n3. Thử dự án đầu tiên\n\nCó gì {{xung_ho|anh/chị}} cứ trả lời email này, em phản hồi trong ngày.',
    poster_caption: 'Chào mừng {{xung_ho|anh/chị}} {{first_name}}!',
  },
  {
    slug: 'support_answer',
    use_case: 'customer_success',
    name: 'Trả lời yêu cầu hỗ trợ',
    description: `Trả lời yêu cầu hỗ trợ trực tiếp bằng video; các bước cụ thể nằm trong email. Cột tùy chọn: topic. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, cảm ơn {{xung_ho|anh chị}} đã liên hệ về {{topic|vấn đề đang gặp phải}}. Em trả lời bằng video ngắn để mình trao đổi gần gũi hơn, không chỉ là một phiếu hỗ trợ. Tin vui là mình có thể xử lý việc này cùng nhau chỉ trong vài phút. Em đã ghi các bước cụ thể trong email, ngay bên dưới video này. Anh chị làm lần lượt từng bước, sau đó tải lại trang là mọi thứ sẽ chạy bình thường. Nếu vẫn chưa được, anh chị gửi em ảnh chụp màn hình, em sẽ trực tiếp kiểm tra. Cảm ơn anh chị đã kiên nhẫn ạ!',
    subject: 'Trả lời: {{topic|yêu cầu hỗ trợ của anh/chị}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nEm trả lời bằng một video ngắn:\n\n{{video}}\n\nCác bước:\n1. …\n2. …\n3. Tải lại trang.\n\nNếu vẫn chưa được, {{xung_ho|anh/chị}} gửi em ảnh chụp màn hình nhé.',
    poster_caption: 'Trả lời {{xung_ho|anh/chị}} {{first_name}}',
  },
  {
    slug: 'thank_you',
    use_case: 'customer_success',
    name: 'Lời cảm ơn',
    description: `Lời cảm ơn riêng tới khách hàng, luôn sẵn sàng nghe góp ý. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, em muốn gửi lời cảm ơn riêng tới {{xung_ho|anh chị}} và mọi người bên {{company|quý công ty}}. Thật sự rất vui khi được làm việc cùng anh chị trong năm vừa qua. Những góp ý của anh chị đã giúp bên em cải thiện sản phẩm rất nhiều, và một số tính năng anh chị đề xuất đã có mặt rồi ạ. Bên em luôn trân trọng sự tin tưởng đó. Nếu có điều gì bên em có thể làm tốt hơn, anh chị cứ nhắn cho em bất cứ lúc nào. Một lần nữa cảm ơn anh chị, và mong tiếp tục được đồng hành!',
    subject: 'Lời cảm ơn gửi {{xung_ho|anh/chị}} {{first_name}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nEm gửi lời cảm ơn bằng một video ngắn:\n\n{{video}}\n\nNếu có điều gì bên em có thể làm tốt hơn, {{xung_ho|anh/chị}} cứ trả lời email này nhé.\n\nTrân trọng,',
    poster_caption: 'Cảm ơn {{xung_ho|anh/chị}} {{first_name}}!',
  },
  {
    slug: 'offer',
    use_case: 'hr',
    name: 'Thư mời nhận việc',
    description: `Báo tin trúng tuyển trước khi ứng viên đọc thư mời. Cột tùy chọn: role. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, xin chúc mừng, công ty rất mong {{xung_ho|anh chị}} về đảm nhận vị trí {{role|mà anh chị đã phỏng vấn}}! Tôi rất vui khi là người báo tin này. Tất cả những người đã gặp anh chị đều rất ấn tượng, và chúng tôi tin anh chị sẽ là một thành viên tuyệt vời của đội ngũ. Thư mời chính thức được đính kèm trong email này, gồm mức lương, phúc lợi và ngày bắt đầu làm việc. Anh chị cứ thoải mái dành thời gian đọc kỹ, có câu hỏi gì thì cứ liên hệ với tôi. Tôi rất sẵn lòng sắp xếp một cuộc gọi. Mong sớm nhận được tin vui từ anh chị!',
    subject: 'Tin vui cho {{xung_ho|anh/chị}} {{first_name}}: thư mời nhận việc',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nTôi có tin vui và muốn trực tiếp báo với {{xung_ho|anh/chị}}:\n\n{{video}}\n\nThư mời chính thức được đính kèm. Mời {{xung_ho|anh/chị}} đọc kỹ và hỏi tôi bất cứ điều gì.\n\nTrân trọng,',
    poster_caption: 'Chúc mừng {{xung_ho|anh/chị}} {{first_name}}!',
  },
  {
    slug: 'welcome_aboard',
    use_case: 'hr',
    name: 'Chào mừng nhân viên mới',
    description: `Trước ngày đầu đi làm: ai đón, lịch trong ngày, cần mang gì. Cột tùy chọn: team. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, chào mừng {{xung_ho|anh chị}} gia nhập {{team|đại gia đình của chúng ta}}! Cả nhóm đều rất vui khi anh chị về làm cùng. Ngày đầu tiên, sẽ có người đón anh chị ở quầy lễ tân lúc chín giờ và đưa anh chị đi tham quan văn phòng. Anh chị sẽ ăn trưa cùng cả nhóm, nhận máy tính, tài khoản, và gặp người đồng hành sẽ hỗ trợ anh chị trong những tuần đầu. Anh chị không cần chuẩn bị gì nhiều, chỉ cần mang theo căn cước để làm thủ tục. Nếu có câu hỏi gì trước đó, anh chị cứ trả lời email này nhé. Hẹn sớm gặp anh chị!',
    subject: 'Ngày đầu tiên của {{xung_ho|anh/chị}} {{first_name}}: video chào mừng',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nCả nhóm đang chờ ngày đầu tiên của {{xung_ho|anh/chị}}. Một video ngắn:\n\n{{video}}\n\nNhớ mang theo căn cước để làm thủ tục nhé; mọi thứ khác đã sẵn sàng.\n\nHẹn sớm gặp,',
    poster_caption: 'Chào mừng {{xung_ho|anh/chị}} {{first_name}}!',
  },
  {
    slug: 'property_tour',
    use_case: 'real_estate',
    name: 'Mời đi xem nhà',
    description: `Mời khách đi xem nhà, nói điểm đặc biệt của căn nhà. Cột tùy chọn: property. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, cảm ơn {{xung_ho|anh chị}} đã quan tâm đến {{property|căn nhà này}}. Em rất mong được dẫn anh chị đi xem trực tiếp. Căn nhà thoáng, yên tĩnh, phòng khách đón nhiều ánh sáng tự nhiên và bếp vừa được sửa mới hoàn toàn. Xung quanh có trường học, chợ và công viên, đi bộ vài phút là tới, lại rất tiện để di chuyển vào trung tâm. Dạo này lịch xem nhà kín khá nhanh, anh chị trả lời email này với vài khung giờ thuận tiện, em sẽ xác nhận ngay ạ. Mong sớm được gặp anh chị!',
    subject: 'Mời {{xung_ho|anh/chị}} {{first_name}} xem {{property|nhà}} qua video',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nEm gửi {{xung_ho|anh/chị}} video ngắn về {{property|căn nhà}}:\n\n{{video}}\n\nChỉ cần trả lời với hai, ba khung giờ thuận tiện, em sẽ xác nhận lịch xem ngay.\n\nTrân trọng,',
    poster_caption: '{{property|Ngôi nhà mới}} cho {{xung_ho|anh/chị}} {{first_name}}',
  },
  {
    slug: 'follow_up',
    use_case: 'real_estate',
    name: 'Sau buổi xem nhà',
    description: `Liên hệ lại ngay sau buổi xem nhà và đề nghị bước tiếp theo. Cột tùy chọn: property. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, rất vui được gặp {{xung_ho|anh chị}} hôm đi xem {{property|nhà}}. Em mong anh chị đã có cảm nhận rõ hơn về căn nhà. Em gửi video này khi mọi thứ còn mới trong trí nhớ của anh chị. Từ hôm đó đã có thêm vài khách hỏi, nên nếu anh chị vẫn quan tâm thì đây là lúc thích hợp để mình bàn bước tiếp theo. Em sẵn sàng giải đáp mọi thắc mắc về giá, giấy tờ hay khu vực xung quanh, và có thể hẹn thêm một buổi xem nữa nếu anh chị muốn. Anh chị cứ trả lời email này hoặc gọi cho em nhé. Cảm ơn anh chị đã dành thời gian!',
    subject: 'Sau buổi xem nhà: video ngắn gửi {{xung_ho|anh/chị}} {{first_name}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nCảm ơn {{xung_ho|anh/chị}} đã đến xem nhà. Em gửi một video ngắn:\n\n{{video}}\n\nEm hẹn thêm một buổi xem, hay gửi {{xung_ho|anh/chị}} hồ sơ giấy tờ ạ? Chỉ cần trả lời email này là được ạ.\n\nTrân trọng,',
    poster_caption: 'Gửi {{xung_ho|anh/chị}} {{first_name}} sau buổi xem nhà',
  },
  {
    slug: 'market_update',
    use_case: 'real_estate',
    name: 'Bản tin thị trường',
    description: `Bản tin ngắn về thị trường khu vực, số liệu nằm trong email, kèm lời mời định giá miễn phí. Cột tùy chọn: area. ${XH}`,
    script:
      'Chào {{xung_ho|anh chị}} {{first_name}}, em gửi {{xung_ho|anh chị}} bản tin thị trường nhanh cho khu vực {{area|của mình}}. Em đã xem lại tất cả các căn nhà được bán quanh đó trong ba tháng vừa qua, để anh chị khỏi mất công. Những con số chính em để ngay trong email bên dưới video: giá trung bình, thời gian bán một căn và số nhà đang rao bán hiện nay. Dù anh chị đang tính bán, mua, hay chỉ muốn nắm tình hình, biết rõ thị trường lúc này luôn có ích. Nếu anh chị muốn được định giá miễn phí căn nhà của mình, chỉ cần trả lời email này, em sẽ chuẩn bị ngay ạ.',
    subject: 'Bản tin thị trường {{area|khu vực của anh/chị}}',
    body: 'Chào {{xung_ho|anh/chị}} {{first_name}},\n\nBản tin thị trường trong một video ngắn:\n\n{{video}}\n\nBa tháng qua:\n- Giá trung bình: …\n- Thời gian bán trung bình: …\n- Số nhà đang rao bán: …\n\nTrả lời email này để được định giá miễn phí căn nhà của {{xung_ho|anh/chị}}.',
    poster_caption: 'Thị trường {{area|nhà đất}}: bản tin cho {{xung_ho|anh/chị}} {{first_name}}',
  },
];
